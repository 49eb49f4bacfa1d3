"""Stage 3: the knowledge base as objects, read whole before anything is written.

Runs only on input that passed validation. A record is its completed data (every field the
schema declares is present) with attribute access: `practice.title` is `data["title"]`. Fields
are declared in the schemas alone; this module adds only what is derived: translation states,
references resolved to objects, back-links, criteria and articles as objects, term indexes."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import KINDS, pausing_gc, translations, units
from .load import Tree
from .schemas import ANY, ANY_KEY, Schemas
from .translations import iter_values


class Node:
    """Validated data with attribute access; derived attributes are set on the node itself."""

    def __init__(self, data: dict):
        self.data = data

    def __getattr__(self, name: str):
        if name != "data" and name in self.data:
            return self.data[name]
        raise AttributeError(f"{type(self).__name__} has no field '{name}'")


class Record(Node):
    """One record file. `kind`, `path` and `digest` say where it came from; `translations` is
    reader language → TranslationState; `refs` is field → the objects its references point at;
    `related` the records that point at this one (or that it meets criteria of)."""

    def __init__(self, kind: str, data: dict, path: str, digest: str, translations_: dict):
        super().__init__(data)
        self.kind, self.path, self.digest, self.translations = kind, path, digest, translations_
        self.refs: dict = {}
        self.related: list = []


class Practice(Record):
    pass


class Recommendation(Record):
    pass


class Criterion(Node):
    def __init__(self, data: dict, number: int, standard: "Standard"):
        super().__init__(data)
        self.number, self.standard = number, standard
        self.owner = standard  # the record it is part of
        self.addressed_by: list = []  # practices and recommendations citing it (back-links)
        self.refs: dict = {}  # its own references (cites), resolved

    @property
    def practices(self) -> list:
        """Practices that show how others met it."""
        return [record for record in self.addressed_by if record.kind == "practice"]

    @property
    def recommendations(self) -> list:
        """Recommendations that, acted on, would help meet it."""
        return [record for record in self.addressed_by if record.kind == "recommendation"]


class Standard(Record):
    def __init__(self, *args):
        super().__init__(*args)
        self.criteria = [Criterion(c, number, self) for number, c in enumerate(self.data["criteria"], start=1)]

    def count(self, level: str) -> int:
        return sum(criterion.level == level for criterion in self.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def areas(self) -> list:
        """[(area, its criteria)], areas in the order their first criterion comes."""
        grouped: dict = {}
        for criterion in self.criteria:
            grouped.setdefault(criterion.area, []).append(criterion)
        return list(grouped.items())


class Stage(Node):
    """A stage of a method guide, numbered from 1 in the method's order."""

    def __init__(self, data: dict, number: int, method: "Method"):
        super().__init__(data)
        self.number, self.method = number, method
        self.owner = method  # the record it is part of
        self.practices: list = []  # practices that illustrate it (back-links)
        self.refs: dict = {}  # its own references (legal requirements, deadlines), resolved


class Method(Record):
    def __init__(self, *args):
        super().__init__(*args)
        self.stages = [Stage(s, number, self) for number, s in enumerate(self.data["stages"], start=1)]

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)


class Unit(Node):
    """An article, paragraph, point or letter. Its translation is recorded with its article."""

    def __init__(self, data: dict, level: str, article: "Article | None" = None):
        super().__init__(data)
        self.level, self.article = level, article or self
        self.children = [Unit(child, child_level, self.article) for child_level in units.CHILDREN[level]
                         for child in data.get(units.LEVELS[child_level][1]) or []]
        self.cited_by: list = []  # records and criteria citing this very unit

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def state(self, lang: str) -> str | None:
        """How this unit's text stands in a language: source, missing, or its article's
        translation state (machine, draft, reviewed, stale); None for a unit without text."""
        if not self.text:
            return None
        if lang not in self.text:
            return "missing"
        return self.article.translations[lang].state


class Article(Unit):
    def __init__(self, data: dict, translations_: dict):
        self.translations = translations_  # reader language → TranslationState
        super().__init__(data, "article")


class LegalAct(Record):
    def __init__(self, *args, article_states: dict):
        super().__init__(*args)
        self.articles = [Article(a, article_states[index]) for index, a in enumerate(self.data["articles"])]
        self.units = {unit.id: unit for article in self.articles for unit in article.walk()}

    def coverage(self, lang: str) -> dict:
        """How many units with text stand in each state in a language: {state: count, 'total': n}."""
        counts: dict = {"total": 0}
        for unit in self.units.values():
            state = unit.state(lang)
            if state:
                counts["total"] += 1
                counts[state] = counts.get(state, 0) + 1
        return counts


@dataclass(frozen=True)
class Provision:
    """A reference to one unit of an act, resolved."""

    act: LegalAct
    unit_id: str

    @property
    def unit(self) -> Unit:
        return self.act.units[self.unit_id]



class Term(Node):
    def __init__(self, vocabulary: str, term_id: str, data: dict):
        super().__init__(data)
        self.vocabulary, self.id = vocabulary, term_id


class Concept(Node):
    """A glossary entry: `concept.pl.term`, `.definition`, `.avoid` in each language."""

    def __init__(self, concept_id: str, data: dict):
        super().__init__({lang: Node(entry) for lang, entry in data.items()})
        self.id = concept_id


SIMILAR = 5  # similar practices a practice's page lists
CLASSES = {"practice": Practice, "standard": Standard, "recommendation": Recommendation, "act": LegalAct, "method": Method}


@dataclass(eq=False)
class KnowledgeBase:
    taxonomy: dict  # vocabulary → {term id → Term}
    records: dict  # kind → {id → Record}, ids sorted
    tagged: dict = field(default_factory=dict)  # vocabulary → term id → [Record], in catalogue order
    glossary: list = field(default_factory=list)  # [Concept], as glossary.yml lists them
    _similar: dict = field(default_factory=dict, repr=False, compare=False)  # practice id → similar_practices
    _tagged_practices: dict = field(default_factory=dict, repr=False, compare=False)  # (vocabulary, term) → practice ids

    def all_records(self):
        for kind in KINDS:
            yield from self.records[kind].values()

    def get(self, kind: str, record_id: str) -> Record:
        return self.records[kind][record_id]

    def tagged_with(self, vocabulary: str, term_id: str) -> list:
        return self.tagged.get(vocabulary, {}).get(term_id, [])

    def similar_practices(self, practice: Record) -> list:
        """Up to SIMILAR other practices sharing the most themes and target groups with this one,
        most shared first, then by id: the same list on every build. Worked out once per practice
        (its page in each language, its handout and the preview's neighbours all ask)."""
        if practice.id in self._similar:
            return self._similar[practice.id]
        shared: Counter = Counter()
        for vocabulary in ("themes", "target_groups"):
            for term_id in getattr(practice, vocabulary):
                shared.update(self._practices_tagged(vocabulary, term_id))
        del shared[practice.id]
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:SIMILAR]
        self._similar[practice.id] = [self.records["practice"][other_id] for other_id, _ in ranked]
        return self._similar[practice.id]

    def _practices_tagged(self, vocabulary: str, term_id: str) -> tuple:
        """The ids of the practices tagged with a term, listed once per term, not once per practice."""
        key = (vocabulary, term_id)
        if key not in self._tagged_practices:
            self._tagged_practices[key] = tuple(other.id for other in self.tagged_with(vocabulary, term_id) if other.kind == "practice")
        return self._tagged_practices[key]

    def neighbours(self, record: Record) -> list:
        """Records whose pages show something of this record's (a title, a link), and the
        records this one shows: what must be rendered again when it changes."""
        shown = [_owner(target) for targets in record.refs.values() for target in targets]
        similar = self.similar_practices(record) if record.kind == "practice" else []
        return list(dict.fromkeys(record.related + shown + similar))


def _owner(target) -> Record:
    """The record a resolved reference lives in."""
    if isinstance(target, Provision):
        return target.act
    return getattr(target, "owner", target)  # a criterion's standard, a stage's method


# Parts of a record that have their own references and back-links: kind → the field listing them.
PARTS = {"standard": "criteria", "method": "stages"}


@pausing_gc
def build_model(tree: Tree, schemas: Schemas) -> KnowledgeBase:
    taxonomy_data = schemas.complete("taxonomy", tree.taxonomy.data)
    taxonomy = {vocabulary: {term_id: Term(vocabulary, term_id, term) for term_id, term in (terms or {}).items()}
                for vocabulary, terms in taxonomy_data.items()}
    records: dict = {kind: {} for kind in KINDS}
    for kind, documents in tree.records.items():
        for document in sorted(documents, key=lambda d: d.data["id"]):
            analysis = translations.of(document, kind, schemas)
            states = {scope.path: scope.states(analysis.source) for scope in analysis.scopes}
            args = (kind, schemas.complete(kind, document.data), document.path, document.digest, states[()])
            if kind == "act":
                record = LegalAct(*args, article_states={path[1]: value for path, value in states.items()
                                                         if path[:1] == ("articles",)})
            else:
                record = CLASSES[kind](*args)
            records[kind][record.id] = record
    glossary = schemas.complete("glossary", tree.glossary.data)["terms"]
    knowledge_base = KnowledgeBase(taxonomy, records, glossary=[Concept(concept_id, entry) for concept_id, entry in glossary.items()])
    _resolve(knowledge_base, schemas)
    _index_terms(knowledge_base, schemas)
    return knowledge_base


# Attributes a record has besides its schema fields, by kind (a test keeps them from hiding one).
DERIVED = {kind: ("kind", "path", "digest", "translations", "refs", "related") for kind in KINDS}
DERIVED["standard"] += ("criteria",)
DERIVED["act"] += ("articles", "units")
DERIVED["method"] += ("stages",)


def ref_name(pattern: tuple) -> str:
    """The name a reference field's targets go by in `record.refs`: its path without list marks
    (cites, legal_basis, criteria …)."""
    return ".".join(str(step) for step in pattern if step not in (ANY, ANY_KEY))


def _target(kb: KnowledgeBase, target_kind: str, value):
    if target_kind == "practice":
        return kb.get("practice", value)
    if target_kind == "criterion":
        return kb.get("standard", value["standard"]).criterion(value["criterion"])
    if target_kind == "stage":
        return kb.get("method", value["method"]).stage(value["stage"])
    return Provision(kb.get("act", value["act"]), value["provision"])


def _resolve(kb: KnowledgeBase, schemas: Schemas) -> None:
    """References (the schemas' x-ref fields) become objects, and every target learns who
    points at it: practices meeting a criterion, records citing an article, related records."""
    def relate(target: Record, record: Record):
        if record not in target.related:
            target.related.append(record)

    for record in kb.all_records():
        for pattern, target_kind in schemas.keyword_fields(record.kind, "x-ref"):
            found = [(path, _target(kb, target_kind, value)) for path, value in iter_values(record.data, pattern)]
            targets = [target for _, target in found]
            record.refs[ref_name(pattern)] = targets
            if record.kind in PARTS and pattern[:2] == (PARTS[record.kind], ANY):
                for part in getattr(record, PARTS[record.kind]):  # every part has the field, empty or not
                    part.refs.setdefault(ref_name(pattern[2:]), [])
            for path, target in found:
                citer = _citer(record, path)
                if citer is not record:  # a criterion's or a stage's own reference
                    citer.refs.setdefault(ref_name(pattern[2:]), []).append(target)
                owner = _owner(target)
                relate(owner, record)
                if isinstance(target, Criterion):
                    relate(record, owner)  # a practice's page names the standards it meets
                    if record not in target.addressed_by:
                        target.addressed_by.append(record)
                if isinstance(target, Stage):
                    relate(record, owner)  # and the methods it illustrates
                    if record not in target.practices:
                        target.practices.append(record)
                if isinstance(target, Provision) and citer not in target.unit.cited_by:
                    target.unit.cited_by.append(citer)


def _citer(record: Record, path: tuple):
    """Who a reference speaks for: a criterion or a stage for the references inside it, else the record."""
    if record.kind in PARTS and path[:1] == (PARTS[record.kind],) and len(path) > 2:
        return getattr(record, PARTS[record.kind])[path[1]]
    return record


def _index_terms(kb: KnowledgeBase, schemas: Schemas) -> None:
    """vocabulary → term → records carrying it (every x-taxonomy field), so pages need not scan."""
    for record in kb.all_records():
        for pattern, vocabulary in schemas.keyword_fields(record.kind, "x-taxonomy"):
            for _, term_id in iter_values(record.data, pattern):
                bucket = kb.tagged.setdefault(vocabulary, {}).setdefault(term_id, [])
                if not bucket or bucket[-1] is not record:
                    bucket.append(record)
