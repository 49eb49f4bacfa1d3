"""What records may refer to, read from the raw data of the whole tree before validation.

Each fact has a name; a rule declares the facts it reads, and the preview's memo keys a rule's
result by the fingerprints of exactly those facts, so a result is reused only while everything
it looked at is unchanged."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .. import EXCERPTS_DIR, KINDS, files, units
from ..load import Tree

FACTS = ("ids", "unreadable", "criteria", "provisions", "stages", "terms", "term_data", "avoided", "excerpts")


class Index:
    def __init__(self, tree: Tree):
        self.ids: dict = {kind: {} for kind in KINDS}  # kind → id → file
        self.unreadable: dict = {kind: set(tree.unreadable.get(kind, ())) for kind in KINDS}  # not dangling
        self.criteria: dict = {}  # standard id → criterion ids, in order
        self.provisions: dict = {}  # act id → unit ids, in document order
        self.stages: dict = {}  # method id → stage ids, in order
        for kind, documents in tree.records.items():
            for document in documents:
                data = document.data if isinstance(document.data, dict) else {}
                record_id = data.get("id") if isinstance(data.get("id"), str) else Path(document.path).stem
                self.ids[kind].setdefault(record_id, document.path)
                if kind == "standard":
                    self.criteria[record_id] = list(dict.fromkeys(
                        c.get("id") for c in _list(data.get("criteria")) if isinstance(c, dict) and isinstance(c.get("id"), str)))
                if kind == "method":
                    self.stages[record_id] = list(dict.fromkeys(
                        s.get("id") for s in _list(data.get("stages")) if isinstance(s, dict) and isinstance(s.get("id"), str)))
                if kind == "act":
                    self.provisions[record_id] = list(dict.fromkeys(
                        unit.data.get("id") for unit in units.walk(data) if isinstance(unit.data.get("id"), str)))
        taxonomy = tree.taxonomy.data if tree.taxonomy is not None else None
        # vocabulary → term id → the term's data; None when taxonomy.yml did not load
        self.term_data: dict | None = None if not isinstance(taxonomy, dict) else {
            name: {str(term_id): term for term_id, term in terms.items()} if isinstance(terms, dict) else {}
            for name, terms in taxonomy.items()}
        glossary = tree.glossary.data if tree.glossary is not None else None
        concepts = glossary.get("terms") if isinstance(glossary, dict) else None
        # language → [(phrase to avoid, the concept's term in that language)], from glossary.yml
        self.avoided: dict = {}
        for concept in concepts.values() if isinstance(concepts, dict) else ():
            for lang, entry in concept.items() if isinstance(concept, dict) else ():
                if isinstance(entry, dict) and isinstance(entry.get("term"), str):
                    self.avoided.setdefault(lang, []).extend(
                        (phrase, entry["term"]) for phrase in _list(entry.get("avoid")) if isinstance(phrase, str) and phrase.strip())
        self.root = tree.root

    @cached_property
    def excerpts(self) -> dict:
        """excerpts/<name>.txt → its text with runs of white space made one space, or the Issue
        that says why it was not read (a link, a pipe, too large, not UTF-8: files.read_text)."""
        found = {}
        folder = self.root / EXCERPTS_DIR if self.root is not None else None
        for path in sorted(folder.glob("*.txt")) if folder is not None and files.is_folder(folder, self.root) else ():
            try:
                found[f"{EXCERPTS_DIR}/{path.name}"] = " ".join(files.read_text(path, self.root, "excerpt").split())
            except files.Refused as refused:
                found[f"{EXCERPTS_DIR}/{path.name}"] = refused.issue
        return found

    @cached_property
    def terms(self) -> dict | None:
        """vocabulary → set of term ids."""
        return None if self.term_data is None else {name: set(terms) for name, terms in self.term_data.items()}

    def fingerprint(self, fact: str) -> int:
        if fact not in self._fingerprints:
            self._fingerprints[fact] = hash(_frozen(getattr(self, fact)))
        return self._fingerprints[fact]

    @cached_property
    def _fingerprints(self) -> dict:
        return {}


class FactView:
    """The index as one rule sees it: reading a fact the rule did not declare is a programming
    error, caught by the tests, not a stale memo in the preview."""

    def __init__(self, index: Index, reads: tuple):
        self._index, self._reads = index, frozenset(reads)

    def __getattr__(self, name: str):
        if name in FACTS and name not in self._reads:
            raise RuntimeError(f"a validation rule reads the fact '{name}' without declaring it in reads=")
        return getattr(self._index, name)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _frozen(value):
    """A hashable, order-independent-for-sets stand-in for plain data."""
    if isinstance(value, dict):
        return tuple(sorted(((str(key), _frozen(child)) for key, child in value.items()), key=repr))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(child) for child in value))
    if isinstance(value, list):
        return tuple(_frozen(child) for child in value)
    return value
