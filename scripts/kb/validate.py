"""Stage 2: check every record against its schema, then the collection as a whole.
Collects all problems in one run; never stops at the first."""
from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import fastjsonschema
import jsonschema
from jsonschema import Draft7Validator, ValidationError

from . import KINDS, LANGUAGES, pausing_gc
from .issues import Issue
from .load import Document, Tree, _dotted
from .schemas import Schemas
from .texts import HTML_TAG, UNSAFE_LINK, collect_texts, iter_values, scope_hashes

LANGUAGE_NAMES = {"pl": "Polish", "uk": "Ukrainian", "en": "English"}
TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
              "array": "a list", "object": "a group of fields", "null": "empty (null)"}


@dataclass
class Index:
    """What references may point at, read from the raw data before validation."""

    ids: dict = field(default_factory=lambda: {kind: {} for kind in KINDS})  # kind → id → file
    criteria: dict = field(default_factory=dict)  # standard id → criterion ids
    provisions: dict = field(default_factory=dict)  # act id → unit ids
    taxonomy: dict | None = None  # vocabulary → term ids; None when taxonomy.yml did not load
    unreadable: dict = field(default_factory=dict)  # kind → stems of files that did not load: not dangling


def build_index(tree: Tree) -> Index:
    index = Index(unreadable=tree.unreadable)
    for kind, documents in tree.records.items():
        for document in documents:
            data = document.data if isinstance(document.data, dict) else {}
            record_id = data.get("id") if isinstance(data.get("id"), str) else Path(document.path).stem
            index.ids[kind].setdefault(record_id, document.path)
            if kind == "standard":
                index.criteria[record_id] = {c.get("id") for c in data.get("criteria") or [] if isinstance(c, dict)}
            if kind == "act":
                index.provisions[record_id] = {unit.get("id") for _, unit, _ in _act_units(data)}
    if tree.taxonomy is not None and isinstance(tree.taxonomy.data, dict):
        index.taxonomy = {name: set(terms) if isinstance(terms, dict) else set()
                          for name, terms in tree.taxonomy.data.items()}
    return index


def _suggest(word, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(c for c in choices if isinstance(c, str)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def taxonomy_problem(vocabulary: str, instance, index: Index):
    """(message, code, hint, sub-path) when a value is not a term of its vocabulary, else None."""
    if index.taxonomy is None or not isinstance(instance, str):
        return None
    terms = index.taxonomy.get(vocabulary, set())
    if instance in terms:
        return None
    return (f"'{instance}' is not a term of the {vocabulary} list in taxonomy.yml", "taxonomy.unknown_term",
            f"{_suggest(instance, terms)}use a term listed under {vocabulary}: in taxonomy.yml, or add it there with labels in pl, uk and en", ())


def reference_problem(target: str, instance, index: Index):
    """(message, code, hint, sub-path) when a reference to another record, criterion or provision dangles, else None."""
    if target == "practice" and isinstance(instance, str):
        if instance not in index.ids["practice"] and instance not in index.unreadable["practice"]:
            return (f"there is no practice '{instance}'", "ref.unknown_practice",
                    f"{_suggest(instance, index.ids['practice'])}use the identifier of a file in practices/ (its name without .yml)", ())
    elif target == "criterion" and isinstance(instance, dict):
        return _pair_problem(instance, "standard", "criterion", index.ids["standard"], index.criteria,
                             index.unreadable["standard"], "standards/")
    elif target == "provision" and isinstance(instance, dict):
        return _pair_problem(instance, "act", "provision", index.ids["act"], index.provisions,
                             index.unreadable["act"], "acts/")
    return None


def _pair_problem(instance, parent_key, child_key, parents, children, unreadable, folder):
    parent, child = instance.get(parent_key), instance.get(child_key)
    if not isinstance(parent, str) or parent in unreadable:
        return None
    if parent not in parents:
        return (f"there is no {parent_key} '{parent}'", f"ref.unknown_{parent_key}",
                f"{_suggest(parent, parents)}use the identifier of a file in {folder} (its name without .yml)", (parent_key,))
    if isinstance(child, str) and child not in children.get(parent, set()):
        return (f"the {parent_key} '{parent}' has no {child_key} '{child}'", f"ref.unknown_{child_key}",
                f"{_suggest(child, children.get(parent, set()))}use an identifier listed in {folder}{parent}.yml", (child_key,))
    return None


def _as_errors(problem):
    if problem:
        message, code, hint, path = problem
        error = ValidationError(message, path=path)
        error.kb_code, error.kb_hint = code, hint
        yield error


class RecordValidator:
    """Validates one kind of record. Built once per run: a compiled fastjsonschema check and
    direct look-ups of taxonomy terms and references let a correct record pass quickly; a
    record that fails them is validated again by jsonschema, which reports every problem."""

    def __init__(self, schemas: Schemas, name: str, index: Index):
        self.schemas, self.name, self.index = schemas, name, index
        schema = schemas.inlined(name)
        keywords = {"x-taxonomy": lambda v, vocabulary, instance, s: _as_errors(taxonomy_problem(vocabulary, instance, index)),
                    "x-ref": lambda v, target, instance, s: _as_errors(reference_problem(target, instance, index))}
        self.full = jsonschema.validators.extend(Draft7Validator, keywords)(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
        self.fast = schemas.compiled(name)
        self.vocabularies = schemas.keyword_fields(name, "x-taxonomy")
        self.references = schemas.keyword_fields(name, "x-ref")

    def passes_quickly(self, data) -> bool:
        try:
            self.fast(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return not any(taxonomy_problem(vocabulary, value, self.index)
                       for pattern, vocabulary in self.vocabularies for _, value in iter_values(data, pattern)) and \
            not any(reference_problem(target, value, self.index)
                    for pattern, target in self.references for _, value in iter_values(data, pattern))

    def issues(self, document: Document) -> list[Issue]:
        if self.passes_quickly(document.data):
            return []
        return [issue for error in self.full.iter_errors(document.data)
                for issue in _issues_for(error, document, self.name, self.schemas)]


# -- schema errors → issues ---------------------------------------------------------------

def _label(schemas: Schemas, name: str, path, data=None) -> str:
    """'Criteria (open-hours) › Level': schema titles, list items named by their id where they have one."""
    labels = schemas.labels(name, path)
    node = data
    for step, segment in enumerate(path):
        node = node[segment] if isinstance(node, (dict, list)) and _has(node, segment) else None
        if isinstance(segment, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            labels[sum(not isinstance(s, int) for s in path[:step]) - 1] = \
                f"{schemas.labels(name, path[:step])[-1]} ({node['id']})"
    return " › ".join(labels) if labels else "The record"


def _has(node, segment) -> bool:
    return (isinstance(node, dict) and segment in node) or (isinstance(node, list) and isinstance(segment, int) and segment < len(node))


def _issue(document: Document, path, code, message, hint, key=False, severity="error") -> Issue:
    line, col = document.position(path, key=key)
    return Issue(document.path, line, col, code, message, hint, _dotted(path), severity)


def _issues_for(error: ValidationError, document: Document, name: str, schemas: Schemas):
    path = tuple(error.absolute_path)
    label = _label(schemas, name, path, document.data)
    keyword = error.validator
    if hasattr(error, "kb_code"):
        yield _issue(document, path, error.kb_code, f"{label}: {error.message}", error.kb_hint)
    elif keyword == "required":
        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        field_schema = schemas.field_schema(name, path + (missing,))
        title = field_schema.get("title", missing)
        where = label if path else "The record"
        yield _issue(document, path, "schema.required", f"{where} is missing the required field '{missing}' ({title})",
                     f"add `{missing}:` — {field_schema.get('description', '')}".rstrip(" —"), key=bool(path))
    elif keyword == "additionalProperties":
        allowed = sorted(schemas.field_schema(name, path).get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed)):
            yield _issue(document, path + (extra,), "schema.unknown_field",
                         f"{label}: unknown field '{extra}'" if path else f"unknown field '{extra}'",
                         f"{_suggest(extra, allowed)}fields allowed here: {', '.join(allowed)}", key=True)
    elif keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        found = TYPE_WORDS.get(_json_type(error.instance), "something else")
        hint = _type_hint(schemas, name, path, expected)
        yield _issue(document, path, "schema.type",
                     f"{label}: expected {' or '.join(TYPE_WORDS[t] for t in expected)}, found {found}", hint)
    elif keyword == "enum":
        choices = ", ".join(str(v) for v in error.validator_value)
        yield _issue(document, path, "schema.enum", f"{label}: '{error.instance}' is not one of the allowed values",
                     f"{_suggest(error.instance, error.validator_value)}write one of: {choices}")
    elif keyword in ("pattern", "format", "propertyNames"):
        description = schemas.field_schema(name, path).get("description", "")
        yield _issue(document, path, "schema.format", f"{label}: '{error.instance}' is not in the expected form",
                     description or "check the value's form")
    elif keyword in ("minItems", "minLength", "minProperties"):
        hint = ("write the text, or delete the line until there is one" if path and path[-1] in LANGUAGES
                else schemas.field_schema(name, path).get("description", "fill in a value"))
        yield _issue(document, path, "schema.empty", f"{label}: must not be empty", hint)
    elif keyword == "uniqueItems":
        yield _issue(document, path, "schema.duplicate_item", f"{label}: the same entry is listed twice",
                     "remove the repeated entry")
    else:
        yield _issue(document, path, f"schema.{keyword}", f"{label}: {error.message}",
                     schemas.field_schema(name, path).get("description", ""))


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "string")


def _type_hint(schemas, name, path, expected) -> str:
    field_schema = schemas.field_schema(name, path)
    if "object" in expected and set(field_schema.get("properties", {})) == set(LANGUAGES):
        return "give the text per language on separate lines, e.g. `pl: …`, `uk: …`, `en: …`, each indented under the field"
    if "string" in expected:
        return "write the value as text; put it in quotes if it looks like a number, date or true/false"
    if "array" in expected:
        return "write a list, one entry per line starting with '- ', or [a, b] on one line"
    return field_schema.get("description", "")


# -- collection rules ---------------------------------------------------------------------

def identity_issues(tree: Tree) -> list[Issue]:
    """Identifiers equal file names and are unique across the knowledge base, former ones included.
    A clash is reported on every file involved: neither is presumed to be the original."""
    issues, owners = [], {}
    for kind, documents in tree.records.items():
        for document in documents:
            data = document.data if isinstance(document.data, dict) else {}
            stem = Path(document.path).stem
            record_id = data.get("id")
            if isinstance(record_id, str) and record_id != stem:
                issues.append(_issue(document, ("id",), "record.id_mismatch",
                                     f"the identifier '{record_id}' differs from the file name '{stem}.yml'",
                                     f"rename the file to {record_id}.yml or set id: {stem}; if the old one was published, keep it under aliases"))
            names = [(("id",), record_id)] + [(("aliases", i), alias) for i, alias in enumerate(data.get("aliases") or [])]
            for where, name in names:
                if isinstance(name, str):
                    owners.setdefault(name, []).append((document, where))
    for name, places in owners.items():
        for document, where in places:
            others = sorted({other.path for other, _ in places if other is not document})
            if others:
                issues.append(_issue(document, where, "record.duplicate_id",
                                     f"the identifier '{name}' is also used by {', '.join(others)}",
                                     "choose an identifier that no other record uses, now or formerly (aliases)"))
    return issues


def text_issues(document: Document, name: str, schemas: Schemas) -> list[Issue]:
    """Source-language text present; no HTML or script links in any text; translations recorded."""
    data = document.data
    if not isinstance(data, dict) or data.get("lang") not in LANGUAGES:
        return []
    source = data["lang"]
    scopes = schemas.translation_scopes(name)
    texts = collect_texts(data, schemas.text_fields(name), scopes)
    issues = []
    for text in texts:
        if not isinstance(text.value, dict):
            continue
        label = lambda: _label(schemas, name, text.path, data)  # built only when there is an issue
        if source not in text.value:
            issues.append(_issue(document, text.path, "text.missing_source",
                                 f"{label()} has no {LANGUAGE_NAMES[source]} text, but the record's source language is {LANGUAGE_NAMES[source]} (lang: {source})",
                                 f"add `{source}: …` under this field, or correct lang: if the record was written in another language"))
        for lang, value in text.value.items():
            if not isinstance(value, str):
                continue
            tag = "<" in value and HTML_TAG.search(value)  # the cheap test first: most texts have no '<'
            if tag:
                issues.append(_issue(document, text.path + (lang,), "text.html",
                                     f"{label()} › {LANGUAGE_NAMES.get(lang, lang)}: contains HTML ({tag.group(0)[:40]})",
                                     "HTML is not allowed in records; use Markdown: **bold**, *italic*, [link](https://…), lists with '- '"))
            if ("](" in value or "<" in value or "]:" in value) and UNSAFE_LINK.search(value):
                issues.append(_issue(document, text.path + (lang,), "text.unsafe_link",
                                     f"{label()} › {LANGUAGE_NAMES.get(lang, lang)}: contains a javascript:, vbscript: or data: link",
                                     "links must start with https://, http:// or mailto:"))
    return issues + translation_issues(document, name, schemas, source, texts)


def translation_issues(document: Document, name: str, schemas: Schemas, source: str, texts) -> list[Issue]:
    data, scopes = document.data, schemas.translation_scopes(name)
    issues = []
    document.hashes = {}
    for scope_path, scope_pattern, scope, current in scope_hashes(data, texts, scopes, source):
        document.hashes[scope_path] = current
        recorded = scope.get("translations") if isinstance(scope.get("translations"), dict) else {}
        languages_with_text = {lang for text in texts if text.scope == scope_pattern and isinstance(text.value, dict)
                               and text.path[:len(scope_path)] == scope_path for lang in text.value}
        where = lambda: _label(schemas, name, scope_path, data) if scope_path else "the record"  # built only for an issue
        for lang in sorted(set(recorded) & {source}):
            issues.append(_issue(document, scope_path + ("translations", lang), "translation.source_language",
                                 f"{where()}: translations lists {LANGUAGE_NAMES[lang]}, the source language",
                                 "remove this entry: the source language is not a translation", key=True))
        for lang in sorted(languages_with_text - set(recorded) - {source}):
            issues.append(_issue(document, scope_path, "translation.unrecorded",
                                 f"{where()} has {LANGUAGE_NAMES[lang]} text but no translations entry for '{lang}'",
                                 f"add under translations: `{lang}: {{status: draft, source_hash: {current}}}` (status machine, draft or reviewed)"))
        for lang, entry in sorted(recorded.items()):
            if lang == source or not isinstance(entry, dict) or not isinstance(entry.get("source_hash"), str):
                continue
            if entry["source_hash"] != current:
                issues.append(_issue(document, scope_path + ("translations", lang, "source_hash"), "translation.stale",
                                     f"{where()}: the {LANGUAGE_NAMES[lang]} translation was made from an older {LANGUAGE_NAMES[source]} text; readers see it marked as outdated",
                                     f"update the translation, then set source_hash: {current}", severity="warning"))
    return issues


def structure_issues(document: Document, name: str) -> list[Issue]:
    """Rules a schema cannot express: unique criterion ids, unit ids that follow their parents."""
    data = document.data if isinstance(document.data, dict) else {}
    issues = []
    if name == "standard":
        seen = set()
        for index, criterion in enumerate(data.get("criteria") or []):
            if isinstance(criterion, dict) and isinstance(criterion.get("id"), str):
                if criterion["id"] in seen:
                    issues.append(_issue(document, ("criteria", index, "id"), "standard.duplicate_criterion",
                                         f"two criteria have the identifier '{criterion['id']}'",
                                         "give each criterion its own identifier"))
                seen.add(criterion["id"])
    if name == "act":
        seen = set()
        for path, unit, expected in _act_units(data):
            unit_id = unit.get("id")
            if not isinstance(unit_id, str):
                continue
            if expected and unit_id != expected:
                issues.append(_issue(document, path + ("id",), "act.unit_id",
                                     f"the identifier '{unit_id}' does not match its place and number (expected '{expected}')",
                                     "identifiers are built from the numbers: art_17__para_1__point_2 is art. 17 ust. 1 pkt 2"))
            if unit_id in seen:
                issues.append(_issue(document, path + ("id",), "act.duplicate_unit",
                                     f"the identifier '{unit_id}' is used twice in this act", "each unit needs its own identifier"))
            seen.add(unit_id)
    return issues


def _act_units(data):
    """Every article, paragraph and point of raw act data: (path, unit, the id its numbers give)."""
    def number(unit):
        return str(unit.get("number", "")).lower() if isinstance(unit, dict) else ""
    for a, article in enumerate(data.get("articles") or []):
        if not isinstance(article, dict):
            continue
        art_id = f"art_{number(article)}" if number(article) else None
        yield ("articles", a), article, art_id
        for p, paragraph in enumerate(article.get("paragraphs") or []):
            if isinstance(paragraph, dict):
                para_id = f"{article.get('id')}__para_{number(paragraph)}" if number(paragraph) else None
                yield ("articles", a, "paragraphs", p), paragraph, para_id
                for q, point in enumerate(paragraph.get("points") or []):
                    if isinstance(point, dict):
                        yield (("articles", a, "paragraphs", p, "points", q), point,
                               f"{paragraph.get('id')}__point_{number(point)}" if number(point) else None)
        for q, point in enumerate(article.get("points") or []):
            if isinstance(point, dict):
                yield ("articles", a, "points", q), point, f"{article.get('id')}__point_{number(point)}" if number(point) else None


def region_issues(tree: Tree) -> list[Issue]:
    taxonomy = tree.taxonomy.data if tree.taxonomy and isinstance(tree.taxonomy.data, dict) else {}
    regions = taxonomy.get("regions") if isinstance(taxonomy.get("regions"), dict) else {}
    issues = []
    for document in tree.records["practice"]:
        location = document.data.get("location") if isinstance(document.data, dict) else None
        if not isinstance(location, dict) or not isinstance(location.get("regions"), list):
            continue
        for index, region in enumerate(location["regions"]):
            term = regions.get(region) if isinstance(region, str) else None
            if isinstance(term, dict) and term.get("country") not in (None, location.get("country")):
                issues.append(_issue(document, ("location", "regions", index), "taxonomy.region_country",
                                     f"the region '{region}' belongs to '{term['country']}', not to the country '{location.get('country')}'",
                                     "correct the country or the region"))
    return issues


def _index_key(index: Index) -> int:
    """Fingerprint of everything a record's validity can depend on besides the record itself."""
    return hash((tuple(sorted((kind, tuple(sorted(ids))) for kind, ids in index.ids.items())),
                 tuple(sorted((k, tuple(sorted(v, key=str))) for k, v in index.criteria.items())),
                 tuple(sorted((k, tuple(sorted(v, key=str))) for k, v in index.provisions.items())),
                 None if index.taxonomy is None else tuple(sorted((k, tuple(sorted(v))) for k, v in index.taxonomy.items())),
                 tuple(sorted((kind, tuple(sorted(stems))) for kind, stems in index.unreadable.items()))))


@pausing_gc
def validate_tree(tree: Tree, schemas: Schemas, memo: dict | None = None) -> list[Issue]:
    """Every problem in the knowledge base, schema and collection rules together. With a memo
    (the preview keeps one), a record whose file and whose possible references are unchanged
    is not validated again."""
    index = build_index(tree)
    index_key = _index_key(index)
    issues: list[Issue] = []
    if tree.taxonomy is not None:
        issues += RecordValidator(schemas, "taxonomy", index).issues(tree.taxonomy)
    for kind, documents in tree.records.items():
        validator = RecordValidator(schemas, kind, index)
        for document in documents:
            key = (document.path, document.digest, index_key, id(schemas))
            if memo is not None and key in memo:
                found, document.hashes = memo[key]
            else:
                found = validator.issues(document) + text_issues(document, kind, schemas) + structure_issues(document, kind)
                if memo is not None:
                    memo[key] = (found, document.hashes)
            issues += found
    issues += identity_issues(tree)
    issues += region_issues(tree)
    return issues
