"""The rules a knowledge base must follow, one function each.

A document rule looks at one file (and at the facts of the index it names in `reads`); a
collection rule looks at all files at once. To add a rule: write the function, add it to RULES
(or COLLECTION_RULES) with the kinds it applies to and the facts it reads, and word its issue
in messages.py."""
from __future__ import annotations

import dataclasses
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import (KINDS, METHOD_ANCHOR_PREFIXES, METHOD_ANCHORS, PAGE_ANCHOR_PREFIXES, PAGE_ANCHOR_SUFFIXES,
               PAGE_ANCHORS, RESERVED_NAMES, SHARED_FILES, UNSAFE_SCHEMES, assessment, translations, units)
from ..issues import Issue
from ..load import Document, Tree
from ..schemas import Schemas
from .. import messages
from .index import FactView, Index
from .schema import RecordValidator, _dotted, label, make_issue

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--|<\?|<!\[CDATA\[", re.S)
# Where a Markdown link's address starts: [text](address, <address>, [label]: address
LINK_START = re.compile(r"\]\(\s*<?|<|^\s*\[[^\]]*\]:\s*<?", re.M)
# What browsers ignore inside a scheme: ASCII whitespace and control characters; Markdown
# drops backslash escapes. Entities (&#x09;, &Tab;, &colon;) are decoded before this.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f\\]+")


@dataclass
class Context:
    """What document rules may use, built once per run."""

    index: Index
    schemas: Schemas
    validators: dict  # kind → RecordValidator

    def analysis(self, document: Document, kind: str):
        return translations.of(document, kind, self.schemas)

    def for_rule(self, rule: "Rule") -> "Context":
        return Context(FactView(self.index, rule.reads), self.schemas, self.validators)


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable[[Document, str, Context], list]
    kinds: tuple  # the kinds of document it applies to (the shared files, "taxonomy" and "glossary", are kinds too)
    reads: tuple = ()  # facts of the Index it depends on, besides the document itself


def schema_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    return context.validators[kind].issues(document)


def _on_texts(rule):
    """A rule over a record's translation analysis; records without a usable source language
    are the schema's to report."""
    def check(document: Document, kind: str, context: Context) -> list[Issue]:
        analysis = context.analysis(document, kind)
        return [] if analysis is None else rule(document, kind, context, analysis)
    check.__doc__ = rule.__doc__
    return check


@_on_texts
def text_rule(document: Document, kind: str, context: Context, analysis) -> list[Issue]:
    """Source-language text present; no HTML or script links in any text."""
    source, issues = analysis.source, []
    for text in analysis.texts:
        if not isinstance(text.value, dict):
            continue
        where = lambda: label(context.schemas, kind, text.path, document.data)  # built only when there is an issue
        if source not in text.value:
            issues.append(make_issue(document, text.path, "text.missing_source", label=where(), source=source,
                                     source_name=messages.language(source)))
        for lang, value in text.value.items():
            if not isinstance(value, str):
                continue
            tag = "<" in value and HTML_TAG.search(value)  # the cheap test first: most texts have no '<'
            if tag:
                issues.append(make_issue(document, text.path + (lang,), "text.html", label=where(),
                                         language=messages.language(lang), tag=tag.group(0)[:40]))
            scheme = ("](" in value or "<" in value or "]:" in value) and unsafe_link_scheme(value)
            if scheme:
                issues.append(make_issue(document, text.path + (lang,), "text.unsafe_link", label=where(),
                                         language=messages.language(lang), scheme=scheme))
            depth = (">" in value or "\n" in value) and markdown_depth(value)
            if depth and depth > MAX_MARKDOWN_DEPTH:
                issues.append(make_issue(document, text.path + (lang,), "text.too_deep", label=where(),
                                         language=messages.language(lang), depth=depth, limit=MAX_MARKDOWN_DEPTH))
    return issues


# Quotations and lists nest; the page's HTML nests as deep, and rendering and sanitising it grew
# with the square of the depth (60 kB of '>' took a build from 7 s to 124 s). Texts need a few.
MAX_MARKDOWN_DEPTH = 10
CONTAINER_MARKS = re.compile(r"^[ \t]*(?:(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))[ \t]*)+", re.MULTILINE)
CONTAINER_MARK = re.compile(r">|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")


def markdown_depth(markdown: str) -> int:
    """How deep a Markdown text nests block quotes and list items at most: the markers that open
    a line (indentation alone nests only as deep as the line is long, and lines are bounded)."""
    return max((len(CONTAINER_MARK.findall(match.group(0))) for match in CONTAINER_MARKS.finditer(markdown)), default=0)


def unsafe_link_scheme(markdown: str) -> str | None:
    """The unsafe scheme of the first link whose address uses one, however it is disguised."""
    for start in LINK_START.finditer(markdown):
        address = html.unescape(markdown[start.end():start.end() + 80])
        address = IGNORED_IN_SCHEME.sub("", address).lower()
        for scheme in UNSAFE_SCHEMES:
            if address.startswith(scheme + ":"):
                return scheme
    return None


# A Ukrainian apostrophe typed as ' between letters; the one apostrophe of the records is ’.
ASCII_APOSTROPHE = re.compile(r"(?<=[А-Яа-яЄєІіЇїҐґ])'(?=[А-Яа-яЄєІіЇїҐґ])")


@_on_texts
def glossary_rule(document: Document, kind: str, context: Context, analysis) -> list[Issue]:
    """Texts use the glossary's terms, not the phrases it lists to avoid; Ukrainian text uses ’."""
    patterns = _avoided_patterns(tuple((lang, tuple(entries)) for lang, entries in sorted(context.index.avoided.items())))
    issues = []
    for text in analysis.texts:
        if not isinstance(text.value, dict):
            continue
        for lang, value in text.value.items():
            if not isinstance(value, str):
                continue
            pattern, terms = patterns.get(lang, (None, {}))
            lowered = value.casefold() if pattern else ""
            maybe = pattern and any(phrase in lowered for phrase in terms)  # plain substring tests first: most texts have none
            found = dict.fromkeys(match.group(0) for match in pattern.finditer(value)) if maybe else {}
            for phrase in found:  # each avoided phrase once per text, as written there
                issues.append(make_issue(document, text.path + (lang,), "text.avoided_term", severity="warning",
                                         label=label(context.schemas, kind, text.path, document.data),
                                         language=messages.language(lang), found=phrase, term=terms[phrase.casefold()]))
            if lang == "uk" and "'" in value and ASCII_APOSTROPHE.search(value):
                issues.append(make_issue(document, text.path + (lang,), "text.apostrophe", severity="warning",
                                         label=label(context.schemas, kind, text.path, document.data)))
    return issues


@functools.lru_cache(maxsize=8)
def _avoided_patterns(avoided: tuple) -> dict:
    """language → (one pattern matching any avoided phrase as a whole phrase, phrase casefolded →
    the term to use instead), compiled once per glossary: one search per text, however long the glossary."""
    compiled = {}
    for lang, entries in avoided:
        phrases = sorted({phrase for phrase, _ in entries}, key=len, reverse=True)  # the longest first
        if not phrases:
            continue
        alternatives = "|".join(re.escape(phrase) for phrase in phrases)
        compiled[lang] = (re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE),
                          {phrase.casefold(): term for phrase, term in entries})
    return compiled


def quotation_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """A source's quotations appear word for word in its excerpt, which exists in excerpts/."""
    data = document.data if isinstance(document.data, dict) else {}
    issues = []
    for position, source in enumerate(_list(data.get("sources"))):
        if not isinstance(source, dict) or not isinstance(source.get("excerpt"), str):
            continue
        name, where = source["excerpt"], ("sources", position)
        if name not in context.index.excerpts:
            if re.fullmatch(r"excerpts/[a-z0-9]+(-[a-z0-9]+)*\.txt", name):  # a malformed name is the schema's
                issues.append(make_issue(document, where + ("excerpt",), "source.excerpt_missing", file=name))
            continue
        excerpt = context.index.excerpts[name]
        if isinstance(excerpt, Issue):  # refused by files.read_text: said where the record names it
            line, col = document.position(where + ("excerpt",))
            issues.append(dataclasses.replace(excerpt, file=document.path, line=line, col=col,
                                              message=f"{name}: {excerpt.message}", field=_dotted(where + ("excerpt",))))
            continue
        for index, quote in enumerate(_list(source.get("quotes"))):
            if not isinstance(quote, str):
                continue
            if " ".join(quote.split()) not in excerpt:
                issues.append(make_issue(document, where + ("quotes", index), "source.quote_not_in_excerpt",
                                         quote=quote[:80], file=name))
            elif " ".join(quote.split()) not in _record_text(document, kind, context):
                issues.append(make_issue(document, where + ("quotes", index), "source.quote_unused", severity="warning",
                                         quote=quote[:80]))
    return issues


def _record_text(document: Document, kind: str, context: Context) -> str:
    """Every text of a record in every language, white space made single: where its quotations are."""
    analysis = context.analysis(document, kind)
    values = [value for text in (analysis.texts if analysis else ()) if isinstance(text.value, dict)
              for value in text.value.values() if isinstance(value, str)]
    return " ".join(" ".join(values).split())


def address_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """A practice says where to read more: a source with an address, and a contact."""
    data = document.data if isinstance(document.data, dict) else {}
    issues = []
    if isinstance(data.get("sources"), list) and not any(isinstance(s, dict) and s.get("url") for s in data["sources"]):
        issues.append(make_issue(document, ("sources",), "practice.no_source_address", key=True, severity="warning"))
    if not data.get("contacts"):
        issues.append(make_issue(document, (), "practice.no_contact", severity="warning"))
    return issues


def dates_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """First published no later than last updated: the feed and the what-changed page rely on it."""
    data = document.data if isinstance(document.data, dict) else {}
    published, updated = data.get("published"), data.get("updated")
    if isinstance(published, str) and isinstance(updated, str) and _is_date(published) and _is_date(updated) and published > updated:
        return [make_issue(document, ("published",), "record.published_after_updated", published=published, updated=updated)]
    return []


def _is_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _list(value) -> list:
    return value if isinstance(value, list) else []


@_on_texts
def translation_rule(document: Document, kind: str, context: Context, analysis) -> list[Issue]:
    """Each translation recorded, none for the source language; outdated ones are warned about."""
    source, issues = analysis.source, []
    for scope in analysis.scopes:
        where = lambda: label(context.schemas, kind, scope.path, document.data) if scope.path else "the record"
        if source in scope.recorded:
            issues.append(make_issue(document, scope.path + ("translations", source), "translation.source_language",
                                     key=True, where=where(), language=messages.language(source)))
        for lang in sorted(scope.languages - set(scope.recorded) - {source}):
            issues.append(make_issue(document, scope.path, "translation.unrecorded", where=where(),
                                     language=messages.language(lang), lang=lang, current=scope.fingerprint))
        for lang, state in scope.states(source).items():
            if state.stale:
                issues.append(make_issue(document, scope.path + ("translations", lang, "source_hash"), "translation.stale",
                                         severity="warning", where=where(), language=messages.language(lang),
                                         source_name=messages.language(source), current=scope.fingerprint))
    return issues


@_on_texts
def translator_rule(document: Document, kind: str, context: Context, analysis) -> list[Issue]:
    """A translation marked draft or reviewed names the person who translated or checked it;
    one made by software, an AI assistant included, is machine."""
    issues = []
    for scope in analysis.scopes:
        for lang, entry in sorted(scope.recorded.items()):
            if lang not in translations.LANGUAGES or not isinstance(entry, dict) or entry.get("status") not in PERSON_STATES:
                continue
            name = entry.get("translator")
            if isinstance(name, str) and name.strip():
                continue
            where = label(context.schemas, kind, scope.path, document.data) if scope.path else "the record"
            path = scope.path + ("translations", lang) + (("translator",) if "translator" in entry else ("status",))
            issues.append(make_issue(document, path, "translation.no_person", where=where,
                                     language=messages.language(lang), status=entry["status"]))
    return issues


PERSON_STATES = ("draft", "reviewed")  # common.schema.json: translation status made by a person


def criteria_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """Criterion identifiers are unique within their standard, and not an anchor its pages use."""
    issues, seen = [], set()
    criteria = document.data.get("criteria") if isinstance(document.data, dict) else None
    for position, criterion in enumerate(criteria if isinstance(criteria, list) else []):
        if isinstance(criterion, dict) and isinstance(criterion.get("id"), str):
            name = criterion["id"]
            if name in PAGE_ANCHORS or name.startswith(PAGE_ANCHOR_PREFIXES) or name.endswith(PAGE_ANCHOR_SUFFIXES):
                issues.append(make_issue(document, ("criteria", position, "id"), "standard.reserved_criterion_id",
                                         criterion_id=name))
            if criterion["id"] in seen:
                issues.append(make_issue(document, ("criteria", position, "id"), "standard.duplicate_criterion",
                                         criterion_id=criterion["id"]))
            seen.add(criterion["id"])
    return issues


def stages_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """Stage identifiers are unique within their method and not an anchor its page uses; checklist
    item identifiers are unique within their stage."""
    issues, seen = [], set()
    stages = document.data.get("stages") if isinstance(document.data, dict) else None
    for position, stage in enumerate(_list(stages)):
        if not isinstance(stage, dict) or not isinstance(stage.get("id"), str):
            continue
        stage_id = stage["id"]
        if stage_id in METHOD_ANCHORS or stage_id.startswith(METHOD_ANCHOR_PREFIXES):
            issues.append(make_issue(document, ("stages", position, "id"), "method.reserved_stage_id", stage_id=stage_id))
        if stage_id in seen:
            issues.append(make_issue(document, ("stages", position, "id"), "method.duplicate_stage", stage_id=stage_id))
        seen.add(stage_id)
        items: set = set()
        for index, item in enumerate(_list(stage.get("checklist"))):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if item["id"] in items:
                    issues.append(make_issue(document, ("stages", position, "checklist", index, "id"), "method.duplicate_item",
                                             stage_id=stage_id, item_id=item["id"]))
                items.add(item["id"])
    return issues


def meeting_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """A standard's rule counts criteria it has and can be met. Checked on well-formed criteria,
    condition by condition: a malformed condition is the schema's to report, the others are
    still checked."""
    data = document.data if isinstance(document.data, dict) else {}
    rule, criteria = data.get("rule"), data.get("criteria")
    if not (isinstance(criteria, list) and all(isinstance(c, dict) and all(isinstance(c.get(key), str)
                                                                            for key in ("id", "level", "area")) for c in criteria)):
        return []
    if not (isinstance(rule, dict) and isinstance(rule.get("require"), list)):
        return []
    condition_schema = context.validators[kind].full.evolve(
        schema=context.schemas.field_schema(kind, ("rule", "require", 0)))
    conditions = [condition if isinstance(condition, dict) and condition_schema.is_valid(condition) else None
                  for condition in rule["require"]]
    issues = []
    for path, code, values in assessment.problems({"require": conditions}, criteria):
        if "choices" in values:
            values = {**values, "suggest": messages.suggest(values["value"], values["choices"]),
                      "choices": messages.choices(values["choices"])}
        issues.append(make_issue(document, ("rule",) + path, code, **values))
    return issues


def unit_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """Unit identifiers follow their place and number, and are unique within the act."""
    issues, seen = [], set()
    for unit in units.walk(document.data):
        unit_id = unit.data.get("id")
        if not isinstance(unit_id, str):
            continue
        if unit.expected_id and unit_id != unit.expected_id:
            issues.append(make_issue(document, unit.path + ("id",), "act.unit_id", unit_id=unit_id,
                                     expected=unit.expected_id, example=units.example()))
        if unit_id in seen:
            issues.append(make_issue(document, unit.path + ("id",), "act.duplicate_unit", unit_id=unit_id))
        seen.add(unit_id)
    return issues


def eli_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """An act's ELI address is the address of its ELI."""
    data = document.data if isinstance(document.data, dict) else {}
    eli, address = data.get("eli"), data.get("eli_url")
    if isinstance(eli, str) and isinstance(address, str) and f"/{eli}/" not in f"{address.rstrip('/')}/":
        return [make_issue(document, ("eli_url",), "act.eli_url", eli=eli, address=address)]
    return []


def region_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """A practice's regions lie in its country."""
    location = document.data.get("location") if isinstance(document.data, dict) else None
    regions = (context.index.term_data or {}).get("regions", {})
    if not isinstance(location, dict) or not isinstance(location.get("regions"), list):
        return []
    issues = []
    for position, region in enumerate(location["regions"]):
        term = regions.get(region) if isinstance(region, str) else None
        if isinstance(term, dict) and location.get("country") and term.get("country") not in (None, location.get("country")):
            issues.append(make_issue(document, ("location", "regions", position), "taxonomy.region_country",
                                     region=region, region_country=term["country"], country=location.get("country")))
    return issues


def required_list_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """A required list left empty says nothing: reported like a missing value."""
    data = document.data if isinstance(document.data, dict) else {}
    return [make_issue(document, path, "schema.empty", label=label(context.schemas, kind, path, data),
                       hint=context.schemas.field_schema(kind, path).get("description") or "add at least one entry")
            for pattern in context.schemas.required_lists(kind) for path, value in translations.iter_values(data, pattern)
            if value == []]


def reserved_name_rule(document: Document, kind: str, context: Context) -> list[Issue]:
    """No identifier takes a name of the site's own (index, a catalogue's folder, a hand-written
    page …) or one Windows refuses: a record's id and aliases name its page's folder, a term's id
    its page's. Criterion and stage ids are anchors within a page, checked by their own rules."""
    data = document.data if isinstance(document.data, dict) else {}
    reserved = ", ".join(sorted(RESERVED_NAMES))
    if kind == "taxonomy":
        return [make_issue(document, (vocabulary, term), "taxonomy.reserved_term", key=True, name=term, reserved=reserved)
                for vocabulary, terms in data.items() if isinstance(terms, dict)
                for term in terms if isinstance(term, str) and term.lower() in RESERVED_NAMES]
    names = [(("id",), data.get("id"))] + [(("aliases", i), alias) for i, alias in enumerate(_list(data.get("aliases")))]
    return [make_issue(document, where, "record.reserved_id", name=name, reserved=reserved)
            for where, name in names if isinstance(name, str) and name.lower() in RESERVED_NAMES]


RECORDS = tuple(KINDS)
SCHEMA_READS = ("ids", "unreadable", "criteria", "provisions", "stages", "terms")  # x-ref and x-taxonomy look-ups
RULES = [
    Rule("schema", schema_rule, (*RECORDS, *SHARED_FILES), reads=SCHEMA_READS),
    Rule("texts", text_rule, RECORDS),
    Rule("dates", dates_rule, RECORDS),
    Rule("translations", translation_rule, RECORDS),
    Rule("translators", translator_rule, RECORDS),
    Rule("glossary", glossary_rule, RECORDS, reads=("avoided",)),
    Rule("quotations", quotation_rule, RECORDS, reads=("excerpts",)),
    Rule("addresses", address_rule, ("practice",)),
    Rule("criteria", criteria_rule, ("standard",)),
    Rule("meeting rule", meeting_rule, ("standard",), reads=("terms",)),  # its schema check of a condition looks up areas
    Rule("stages", stages_rule, ("method",)),
    Rule("units", unit_rule, ("act",)),
    Rule("eli", eli_rule, ("act",)),
    Rule("regions", region_rule, ("practice",), reads=("term_data",)),
    Rule("required lists", required_list_rule, RECORDS),
    Rule("reserved names", reserved_name_rule, (*RECORDS, "taxonomy")),
]


def identity_rule(tree: Tree) -> list[Issue]:
    """Identifiers equal file names and are unique across the knowledge base, former ones included.
    A clash is reported on every file involved: neither is presumed to be the original."""
    issues, owners = [], {}
    for documents in tree.records.values():
        for document in documents:
            data = document.data if isinstance(document.data, dict) else {}
            stem = Path(document.path).stem
            record_id = data.get("id")
            if isinstance(record_id, str) and record_id != stem:
                issues.append(make_issue(document, ("id",), "record.id_mismatch", record_id=record_id, stem=stem))
            aliases = data.get("aliases") if isinstance(data.get("aliases"), list) else []
            for where, name in [(("id",), record_id)] + [(("aliases", i), alias) for i, alias in enumerate(aliases)]:
                if isinstance(name, str):
                    owners.setdefault(name, []).append((document, where))
    for name, places in owners.items():
        for number, (document, where) in enumerate(places):
            others = sorted({other.path for other, _ in places if other is not document})
            if others:
                issues.append(make_issue(document, where, "record.duplicate_id", name=name, others=", ".join(others)))
            elif any(other is document for other, _ in places[:number]):  # its own id again, or an alias twice
                issues.append(make_issue(document, where, "record.repeated_alias", name=name))
    return issues


COLLECTION_RULES = [identity_rule]


def context_for(tree: Tree, schemas: Schemas) -> Context:
    index = Index(tree)
    kinds = [kind for kind in (*RECORDS, *SHARED_FILES) if kind in RECORDS or getattr(tree, kind) is not None]
    return Context(index, schemas, {kind: RecordValidator(schemas, kind, FactView(index, SCHEMA_READS)) for kind in kinds})
