"""Stage 3: typed records with resolved references, back-links and translation status.
Runs only on input that passed validation, so the data has the shape the schemas promise."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import KINDS, LANGUAGES, pausing_gc
from .load import Tree
from .schemas import Schemas
from .texts import collect_texts, concrete_scopes, scope_hashes


@dataclass(frozen=True)
class TranslationState:
    """How one language version of a record (or of an article) stands."""

    lang: str
    status: str  # source, missing, machine, draft, reviewed
    stale: bool = False
    translated: str | None = None
    translator: str | None = None

    @property
    def state(self) -> str:
        """One word for readers: source, missing, machine, draft, reviewed or stale."""
        return "stale" if self.stale else self.status


@dataclass(eq=False)  # a record is itself: identity, not a field-by-field comparison of whole records
class Record:
    kind: str
    id: str
    lang: str  # source language
    path: str
    digest: str  # of the file's bytes: tells the preview which records changed
    title: dict
    summary: dict | None
    themes: list
    target_groups: list
    sources: list
    updated: str
    aliases: list
    translations: dict  # reader language → TranslationState
    data: dict  # the validated record as written


@dataclass(eq=False)
class Practice(Record):
    context: dict | None = None
    actions: dict | None = None
    results: dict | None = None
    resources: dict | None = None
    indicators: list = field(default_factory=list)
    budget: dict | None = None
    partners: list = field(default_factory=list)
    location: dict = field(default_factory=dict)
    period: dict | None = None
    evidence: str = ""
    institution_types: list = field(default_factory=list)
    criteria: list = field(default_factory=list)  # [{standard, criterion}]
    cites: list = field(default_factory=list)  # [{act, provision}]
    materials: list = field(default_factory=list)
    contacts: list = field(default_factory=list)


@dataclass(eq=False)
class Criterion:
    id: str
    number: int
    level: str
    area: str
    requirement: dict
    evidence: dict | None
    practices: list = field(default_factory=list)  # Practices that meet it (back-links)


@dataclass(eq=False)
class Standard(Record):
    scope: dict | None = None
    rule: dict | None = None
    country: str = ""
    institution_types: list = field(default_factory=list)
    criteria: list = field(default_factory=list)  # [Criterion]
    cites: list = field(default_factory=list)
    related_practices: list = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(criterion.level == level for criterion in self.criteria)


@dataclass(eq=False)
class Recommendation(Record):
    problem: dict | None = None
    proposal: dict | None = None
    addressee: dict | None = None
    country: str = ""
    status: str = ""
    history: list = field(default_factory=list)
    legal_basis: list = field(default_factory=list)
    related_practices: list = field(default_factory=list)


@dataclass(eq=False)
class Point:
    id: str
    number: str
    text: dict


@dataclass(eq=False)
class Paragraph:
    id: str
    number: str
    text: dict
    points: list = field(default_factory=list)


@dataclass(eq=False)
class Article:
    id: str
    number: str
    text: dict | None
    paragraphs: list
    points: list
    wording: str  # official, secondary or unconfirmed
    note: dict | None
    translations: dict  # reader language → TranslationState
    cited_by: list = field(default_factory=list)  # Records citing any unit of the article

    def unit_ids(self) -> list:
        """The article's own id and those of its paragraphs and points, in order."""
        ids = [self.id]
        for paragraph in self.paragraphs:
            ids += [paragraph.id] + [point.id for point in paragraph.points]
        return ids + [point.id for point in self.points]


@dataclass(eq=False)
class LegalAct(Record):
    short_title: dict | None = None
    eli: str = ""
    country: str = ""
    adopted: str = ""
    consolidated_text: dict = field(default_factory=dict)
    articles: list = field(default_factory=list)  # [Article]

    def unit_ids(self) -> set:
        return {unit for article in self.articles for unit in article.unit_ids()}


@dataclass(eq=False)
class Term:
    vocabulary: str
    id: str
    label: dict
    description: dict | None = None
    country: str | None = None


@dataclass(eq=False)
class KnowledgeBase:
    taxonomy: dict  # vocabulary → {term id → Term}
    records: dict  # kind → {id → Record}, ids sorted
    cited_by: dict = field(default_factory=dict)  # (act id, unit id) → [Record]
    related: dict = field(default_factory=dict)  # (kind, id) → [Record] pointing at it

    def all_records(self):
        for kind in KINDS:
            yield from self.records[kind].values()

    def get(self, kind: str, record_id: str) -> Record:
        return self.records[kind][record_id]

    def neighbours(self, record: Record) -> list:
        """Records whose pages show something of this record's (a title, a link), and the
        records this one shows: what must be rendered again when it changes."""
        found = list(self.related.get((record.kind, record.id), []))
        targets = [("act", ref["act"]) for ref in getattr(record, "cites", []) + getattr(record, "legal_basis", [])]
        targets += [("standard", ref["standard"]) for ref in getattr(record, "criteria", []) if isinstance(record, Practice)]
        targets += [("practice", practice_id) for practice_id in getattr(record, "related_practices", [])]
        found += [self.records[kind][target] for kind, target in targets if target in self.records[kind]]
        return found

    def tagged(self, vocabulary: str, term: str) -> list:
        """Records carrying a theme or target group, in catalogue order."""
        return [record for record in self.all_records() if term in getattr(record, vocabulary, [])]


def _translation_states(scope: dict, current_hash: str, source: str) -> dict:
    recorded = scope.get("translations") or {}
    states = {}
    for lang in LANGUAGES:
        if lang == source:
            states[lang] = TranslationState(lang, "source")
        elif recorded.get(lang):
            entry = recorded[lang]
            states[lang] = TranslationState(lang, entry["status"], entry["source_hash"] != current_hash,
                                            entry.get("translated"), entry.get("translator"))
        else:
            states[lang] = TranslationState(lang, "missing")
    return states


def _common(kind: str, data: dict, path: str, digest: str, translations: dict) -> dict:
    return dict(kind=kind, id=data["id"], lang=data["lang"], path=path, digest=digest, title=data["title"],
                summary=data["summary"], themes=data["themes"] or [], target_groups=data.get("target_groups") or [],
                sources=data["sources"] or [], updated=data["updated"], aliases=data["aliases"] or [],
                translations=translations, data=data)


def _practice(common: dict, data: dict) -> Practice:
    return Practice(**common, context=data.get("context"), actions=data.get("actions"), results=data.get("results"),
                    resources=data.get("resources"), indicators=data["indicators"] or [], budget=data.get("budget"),
                    partners=data["partners"] or [], location=data["location"], period=data["period"],
                    evidence=data["evidence"], institution_types=data["institution_types"] or [],
                    criteria=data["criteria"] or [], cites=data["cites"] or [],
                    materials=data["materials"] or [], contacts=data["contacts"] or [])


def _standard(common: dict, data: dict) -> Standard:
    criteria = [Criterion(c["id"], number, c["level"], c["area"], c["requirement"], c.get("evidence"))
                for number, c in enumerate(data["criteria"], start=1)]
    return Standard(**common, scope=data.get("scope"), rule=data.get("rule"), country=data["country"],
                    institution_types=data["institution_types"] or [], criteria=criteria,
                    cites=data["cites"] or [], related_practices=data["related_practices"] or [])


def _recommendation(common: dict, data: dict) -> Recommendation:
    return Recommendation(**common, problem=data.get("problem"), proposal=data.get("proposal"),
                          addressee=data.get("addressee"), country=data["country"], status=data["status"],
                          history=data["history"] or [], legal_basis=data["legal_basis"] or [],
                          related_practices=data["related_practices"] or [])


def _points(items) -> list:
    return [Point(p["id"], p["number"], p["text"]) for p in items or []]


def _act(common: dict, data: dict, article_states: dict) -> LegalAct:
    articles = [Article(a["id"], a["number"], a.get("text"),
                        [Paragraph(p["id"], p["number"], p["text"], _points(p.get("points"))) for p in a["paragraphs"] or []],
                        _points(a.get("points")), a["wording"], a.get("note"), article_states[index])
                for index, a in enumerate(data["articles"])]
    return LegalAct(**common, short_title=data.get("short_title"), eli=data["eli"], country=data["country"],
                    adopted=data["adopted"], consolidated_text=data["consolidated_text"], articles=articles)


@pausing_gc
def build_model(tree: Tree, schemas: Schemas) -> KnowledgeBase:
    taxonomy = {vocabulary: {term_id: Term(vocabulary, term_id, term["label"], term.get("description"), term.get("country"))
                             for term_id, term in terms.items()}
                for vocabulary, terms in tree.taxonomy.data.items()}
    records: dict = {kind: {} for kind in KINDS}
    for kind, documents in tree.records.items():
        fields, scopes = schemas.text_fields(kind), schemas.translation_scopes(kind)
        for document in sorted(documents, key=lambda d: d.data["id"]):
            data, source = schemas.complete(kind, document.data), document.data["lang"]
            hashes = document.hashes or {path: current for path, _, _, current in
                                         scope_hashes(data, collect_texts(data, fields, scopes), scopes, source)}
            states = {scope_path: _translation_states(scope, hashes[scope_path], source)
                      for scope_pattern in scopes for scope_path, scope in concrete_scopes(data, scope_pattern)}
            common = _common(kind, data, document.path, document.digest, states[()])
            if kind == "practice":
                record = _practice(common, data)
            elif kind == "standard":
                record = _standard(common, data)
            elif kind == "recommendation":
                record = _recommendation(common, data)
            else:
                record = _act(common, data, {path[1]: value for path, value in states.items() if path})
            records[kind][record.id] = record
    knowledge_base = KnowledgeBase(taxonomy, records)
    _link(knowledge_base)
    return knowledge_base


def _link(kb: KnowledgeBase) -> None:
    """Back-links: who cites an article, which practices meet a criterion, who points at a practice."""
    def relate(target: tuple, record: Record):
        bucket = kb.related.setdefault(target, [])
        if record not in bucket:
            bucket.append(record)

    for record in kb.all_records():
        for reference in getattr(record, "cites", []) + getattr(record, "legal_basis", []):
            kb.cited_by.setdefault((reference["act"], reference["provision"]), []).append(record)
            relate(("act", reference["act"]), record)
        for practice_id in getattr(record, "related_practices", []):
            relate(("practice", practice_id), record)
        if isinstance(record, Practice):
            for reference in record.criteria:
                standard = kb.get("standard", reference["standard"])
                criterion = next(c for c in standard.criteria if c.id == reference["criterion"])
                if record not in criterion.practices:
                    criterion.practices.append(record)
                relate(("standard", standard.id), record)
                relate(("practice", record.id), standard)
    for act in kb.records["act"].values():
        for article in act.articles:
            for unit in article.unit_ids():
                for record in kb.cited_by.get((act.id, unit), []):
                    if record not in article.cited_by:
                        article.cited_by.append(record)
