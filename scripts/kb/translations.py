"""Multilingual text inside records, and where each translation stands.

One analysis per document, shared by every stage: the texts (found by the schemas' x-text
marks), the translation scopes (the record, each article: objects with their own
`translations`), the fingerprint of each scope's source-language text, and from it each
language's state. Validation reports from it, the model and the pages show it; staleness is
decided here and nowhere else."""
from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from . import LANGUAGES
from .schemas import ANY, ANY_KEY, Schemas

STATES = ("source", "missing", "machine", "draft", "reviewed", "stale")  # what a reader can be told


def iter_values(data, pattern: tuple, prefix: tuple = ()):
    """Yield (path, value) for every place in `data` matching a field pattern."""
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == ANY:
        if isinstance(data, list):
            for index, value in enumerate(data):
                yield from iter_values(value, rest, prefix + (index,))
    elif head == ANY_KEY:
        if isinstance(data, dict):
            for key, value in data.items():
                yield from iter_values(value, rest, prefix + (key,))
    elif isinstance(data, dict) and head in data:
        yield from iter_values(data[head], rest, prefix + (head,))


@dataclass(frozen=True)
class TextValue:
    """One multilingual text in a record: where it is, which translation scope owns it, its value."""

    path: tuple
    scope: tuple  # pattern of the owning scope
    markdown: bool
    value: object  # {lang: text} when the record is well-formed

    def languages(self) -> set:
        """The known languages this text is given in (unknown keys are the schema's to report)."""
        return {lang for lang in self.value if lang in LANGUAGES} if isinstance(self.value, dict) else set()


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


@dataclass(frozen=True)
class Scope:
    """One object carrying its own `translations`: the record itself (path ()) or an article."""

    path: tuple
    pattern: tuple
    recorded: dict  # lang → translations entry as written (may be malformed before validation)
    fingerprint: str  # of the source-language text inside the scope, now
    languages: frozenset  # languages some text of the scope is given in

    def states(self, source: str) -> dict:
        """Reader language → TranslationState. A translation is stale when it was made from a
        source text with another fingerprint."""
        states = {}
        for lang in LANGUAGES:
            entry = self.recorded.get(lang)
            if lang == source:
                states[lang] = TranslationState(lang, "source")
            elif isinstance(entry, dict) and isinstance(entry.get("status"), str) and isinstance(entry.get("source_hash"), str):
                states[lang] = TranslationState(lang, entry["status"], entry["source_hash"] != self.fingerprint,
                                                entry.get("translated"), entry.get("translator"))
            else:
                states[lang] = TranslationState(lang, "missing")
        return states


@dataclass(frozen=True)
class DocumentTexts:
    source: str  # the record's source language
    texts: tuple  # TextValue, every multilingual text of the record
    scopes: tuple  # Scope, the record's own last


def fingerprint(texts, scope_path: tuple, scope_pattern: tuple, lang: str) -> str:
    """12-hex fingerprint of the source-language text inside one translation scope.
    Whitespace is collapsed so that re-wrapping a paragraph does not mark translations outdated."""
    items = [[list(text.path[len(scope_path):]), " ".join(text.value[lang].split())] for text in texts
             if text.scope == scope_pattern and text.path[:len(scope_path)] == scope_path
             and isinstance(text.value, dict) and isinstance(text.value.get(lang), str)]
    payload = json.dumps(sorted(items, key=lambda item: json.dumps(item[0])), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def analyse(data, kind: str, schemas: Schemas) -> DocumentTexts | None:
    """The texts and translation scopes of one record's data; None when it has no usable
    source language (the schema check reports that)."""
    if not isinstance(data, dict) or data.get("lang") not in LANGUAGES:
        return None
    source, scope_patterns = data["lang"], schemas.translation_scopes(kind)
    texts = tuple(TextValue(path, _owner(text_field.pattern, scope_patterns), text_field.markdown, value)
                  for text_field in schemas.text_fields(kind) for path, value in iter_values(data, text_field.pattern))
    scopes = []
    for pattern in scope_patterns:
        for path, scope in iter_values(data, pattern):
            if not isinstance(scope, dict):
                continue
            inside = [text for text in texts if text.scope == pattern and text.path[:len(path)] == path]
            recorded = scope.get("translations") if isinstance(scope.get("translations"), dict) else {}
            scopes.append(Scope(path, pattern, recorded, fingerprint(inside, path, pattern, source),
                                frozenset(lang for text in inside for lang in text.languages())))
    return DocumentTexts(source, texts, tuple(scopes))


def _owner(pattern: tuple, scopes: list[tuple]) -> tuple:
    """The innermost translation scope holding a field."""
    return max((scope for scope in scopes if pattern[:len(scope)] == scope), key=len)


_MEMO: OrderedDict = OrderedDict()
_MEMO_SIZE = 1 << 15


def of(document, kind: str, schemas: Schemas) -> DocumentTexts | None:
    """`analyse` of a loaded document, once per file content: validation and the model (and the
    preview's next refresh, when the file did not change) share the result."""
    if not document.digest:
        return analyse(document.data, kind, schemas)
    key = (document.digest, kind, schemas.digest)
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    result = _MEMO[key] = analyse(document.data, kind, schemas)
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return result


# -- what translators work on ----------------------------------------------------------------

TRANSLATOR_STATUSES = ("machine", "draft", "reviewed")  # what a translator may record, weakest first
COUNTED_STATES = ("reviewed", "draft", "machine", "stale")  # the states coverage is told in, strongest first


@dataclass(frozen=True)
class TextRow:
    """One text of a record in one target language: a row of the translators' sheet."""

    kind: str
    record_id: str
    file: str
    path: tuple  # of the text inside the record, e.g. ('articles', 1, 'text')
    scope: tuple  # path of the translation scope that records its status (the record: ())
    lang: str  # the target language
    source_lang: str
    source_text: str
    translation: str  # '' when there is none
    state: str  # missing, machine, draft, reviewed or stale
    fingerprint: str  # of the scope's source text now
    recorded: str = "missing"  # the status the scope's entry records (state without staleness)
    translator: str | None = None  # who and when, as the scope's entry says
    translated: str | None = None

    @property
    def version(self) -> str:
        """Fingerprint of the translation and its state as a sheet shows them: an import tells by
        it whether the translator changed the row, and whether the record changed since the export."""
        return version(self.translation, self.state)

    @property
    def field(self) -> str:
        from .yaml12 import _dotted
        return _dotted(self.path)


def text_rows(kind: str, record_id: str, file: str, analysis: DocumentTexts, lang: str) -> list[TextRow]:
    """Every text of a record that has source-language text, as rows for one target language
    (none when the record is written in that language)."""
    if analysis is None or analysis.source == lang:
        return []
    # A scope's path has as many steps as its pattern: a text's scope is found by its own path's start.
    scopes = {(scope.pattern, scope.path): (scope, scope.states(analysis.source)[lang]) for scope in analysis.scopes}
    rows = []
    for text in analysis.texts:
        if not isinstance(text.value, dict) or not isinstance(text.value.get(analysis.source), str):
            continue
        scope, scope_state = scopes[text.scope, text.path[:len(text.scope)]]
        translation = text.value.get(lang)
        translation = translation if isinstance(translation, str) else ""
        state, recorded = (scope_state.state, scope_state.status) if translation else ("missing", "missing")
        rows.append(TextRow(kind, record_id, file, text.path, scope.path, lang, analysis.source,
                            text.value[analysis.source], translation, state, scope.fingerprint, recorded,
                            scope_state.translator, scope_state.translated))
    return rows


def version(translation: str, state: str) -> str:
    """12-hex fingerprint of a translation (whitespace collapsed, as spreadsheet programs re-wrap
    and change line ends) and the state shown beside it."""
    payload = json.dumps([" ".join(translation.split()), state], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


@dataclass
class Coverage:
    """How the texts of one kind stand in one language."""

    texts: int = 0
    states: dict = None  # state → number of texts

    def __post_init__(self):
        self.states = self.states or {}

    def add(self, row: TextRow) -> None:
        self.texts += 1
        self.states[row.state] = self.states.get(row.state, 0) + 1

    @property
    def translated(self) -> int:
        return self.texts - self.states.get("missing", 0)

    @property
    def percent(self) -> int:
        """Share of texts with a translation, rounded down (100 only when all are translated)."""
        return self.translated * 100 // self.texts if self.texts else 100


def coverage(rows) -> dict:
    """kind → Coverage of the given rows (one language)."""
    result: dict = {}
    for row in rows:
        result.setdefault(row.kind, Coverage()).add(row)
    return result


def outdated(rows) -> list:
    """(kind, record id, scope path) of each translation made from an older source text, once."""
    return list(dict.fromkeys((row.kind, row.record_id, row.scope) for row in rows if row.state == "stale"))
