"""Checking one record against its kind's JSON Schema, with the schemas' own extensions:
x-taxonomy (a value must be a term of a vocabulary) and x-ref (a reference to a record,
criterion or provision must lead somewhere). Schema errors become issues in editors' words."""
from __future__ import annotations

import ast
import re
import unicodedata

import fastjsonschema
import jsonschema
from jsonschema import Draft7Validator, ValidationError

from .. import LANGUAGES, UNSAFE_SCHEMES
from ..issues import Issue
from ..yaml12 import Document, _dotted
from ..schemas import Schemas
from ..translations import iter_values
from .. import messages
from .index import Index

UNSAFE_SCHEME = re.compile(rf"^\s*({'|'.join(UNSAFE_SCHEMES)})\s*:", re.I)
# An unescaped $ of a schema's pattern. ECMA-262, which JSON Schema's patterns follow, reads it as
# the end of the string only; Python's $ also matches before a final newline, so "x\n" would pass
# an identifier's pattern. fastjsonschema makes every such $ a \Z; jsonschema is given the same.
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
# A pattern that refuses a set of characters anywhere: ^[^…]*$ (one-line and Markdown texts).
REFUSING = re.compile(r"\^\[\^(.+)\]\*\$")


def ecma_pattern(pattern: str) -> re.Pattern:
    """A schema's pattern compiled as fastjsonschema compiles it, `$` meaning the end of the string."""
    return _ecma_patterns.get(pattern) or _ecma_patterns.setdefault(pattern, re.compile(UNESCAPED_DOLLAR.sub(r"\\Z", pattern)))


_ecma_patterns: dict = {}


def _pattern_keyword(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 7 with patterns read as ECMA-262 reads them (propertyNames' patterns go through it too).
EcmaValidator = jsonschema.validators.extend(Draft7Validator, {"pattern": _pattern_keyword})


def hidden_character(value: str, pattern: str | None, schemas: Schemas) -> tuple[int, str] | None:
    """(position, character) of the first character of a text that its field refuses: a control,
    text-direction or zero-width character, a line separator; for a field whose pattern refuses
    characters (^[^…]*$) those, for any other (identifiers, addresses) those a one-line text refuses."""
    refusing = REFUSING.fullmatch(pattern or "") or REFUSING.fullmatch(schemas.documents["common.schema.json"]["definitions"]["line"]["pattern"])
    found = ecma_pattern(f"[{refusing.group(1)}]").search(value)
    return (found.start(), found.group(0)) if found else None


# Control characters have no Unicode name; these are the ones met in copied text.
CONTROL_NAMES = {"\0": "NULL", "\t": "CHARACTER TABULATION (a tab)", "\n": "LINE FEED (a line break)",
                 "\r": "CARRIAGE RETURN (a line break)", "\x85": "NEXT LINE (a line break)"}


def character_name(character: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    name = unicodedata.name(character, "") or CONTROL_NAMES.get(character, "CONTROL CHARACTER")
    return f"U+{ord(character):04X} {name}"


def taxonomy_problem(vocabulary: str, instance, index: Index):
    """(code, values, sub-path) when a value is not a term of its vocabulary, else None."""
    if index.terms is None or not isinstance(instance, str):
        return None
    terms = index.terms.get(vocabulary, set())
    if instance in terms:
        return None
    if not instance.strip():
        return "schema.empty", {"hint": f"write one of: {messages.choices(sorted(terms))} (terms of {vocabulary} in taxonomy.yml)"}, ()
    listed = f" ({messages.choices(sorted(terms))})" if 0 < len(terms) <= messages.SHOWN_CHOICES else ""
    return "taxonomy.unknown_term", {"value": instance, "vocabulary": vocabulary, "choices": listed,
                                     "suggest": messages.suggest(instance, terms)}, ()


def reference_problem(target: str, instance, index: Index):
    """(code, values, sub-path) when a reference dangles, else None. References into a file that
    did not load are not called dangling: that file's own error says what is wrong."""
    if target == "practice":
        if isinstance(instance, str) and instance not in index.ids["practice"] and instance not in index.unreadable["practice"]:
            return "ref.unknown_practice", {"value": instance, "suggest": messages.suggest(instance, index.ids["practice"])}, ()
        return None
    if not isinstance(instance, dict):
        return None
    parent_kind, child_key, children = {"criterion": ("standard", "criterion", index.criteria),
                                        "stage": ("method", "stage", index.stages),
                                        "provision": ("act", "provision", index.provisions)}[target]
    parent, child = instance.get(parent_kind), instance.get(child_key)
    if not isinstance(parent, str) or parent in index.unreadable[parent_kind]:
        return None
    if parent not in index.ids[parent_kind]:
        return f"ref.unknown_{parent_kind}", {"value": parent, "suggest": messages.suggest(parent, index.ids[parent_kind])}, (parent_kind,)
    known = children.get(parent, [])
    if isinstance(child, str) and child not in known:
        hint = messages.unit_suggestion(child, known) if target == "provision" else messages.suggest(child, known)
        return f"ref.unknown_{child_key}", {"value": child, "parent": parent, "suggest": hint,
                                             "choices": messages.choices(known)}, (child_key,)
    return None


def _as_errors(problem):
    if problem:
        code, values, path = problem
        error = ValidationError(code, path=path)
        error.kb_code, error.kb_values = code, values
        yield error


class RecordValidator:
    """Validates one kind of record. Built once per run: a compiled fastjsonschema check and
    direct look-ups of taxonomy terms and references let a correct record pass quickly; a
    record that fails them is validated again by jsonschema, which reports every problem."""

    def __init__(self, schemas: Schemas, kind: str, index: Index):
        self.schemas, self.kind, self.index = schemas, kind, index
        keywords = {"x-taxonomy": lambda v, vocabulary, instance, s: _as_errors(taxonomy_problem(vocabulary, instance, index)),
                    "x-ref": lambda v, target, instance, s: _as_errors(reference_problem(target, instance, index))}
        self.full = jsonschema.validators.extend(EcmaValidator, keywords)(
            schemas.inlined(kind), format_checker=Draft7Validator.FORMAT_CHECKER)
        self.fast = schemas.compiled(kind)
        self.vocabularies = schemas.keyword_fields(kind, "x-taxonomy")
        self.references = schemas.keyword_fields(kind, "x-ref")

    def schema_error(self, data) -> fastjsonschema.JsonSchemaException | None:
        try:
            self.fast(data)
        except fastjsonschema.JsonSchemaException as error:
            return error
        return None

    def passes_quickly(self, data) -> bool:
        if self.schema_error(data) is not None:
            return False
        return not any(taxonomy_problem(vocabulary, value, self.index)
                       for pattern, vocabulary in self.vocabularies for _, value in iter_values(data, pattern)) and \
            not any(reference_problem(target, value, self.index)
                    for pattern, target in self.references for _, value in iter_values(data, pattern))

    def issues(self, document: Document) -> list[Issue]:
        if self.passes_quickly(document.data):
            return []
        issues = [issue for error in self.full.iter_errors(document.data)
                  for issue in issues_for(error, document, self.kind, self.schemas)]
        fast_error = None if issues else self.schema_error(document.data)
        if fast_error is not None:  # the two validators disagree: never let the record pass unreported
            steps = getattr(fast_error, "path", [])[1:]  # its first step names the data itself; indexes come as text
            path = tuple(int(step) if step.isdigit() else step for step in steps)
            issues.append(make_issue(document, path, "schema.other", label=label(self.schemas, self.kind, path, document.data),
                                     detail=fast_error.message, hint=self.schemas.field_schema(self.kind, path).get("description", "")))
        return issues


# -- schema errors → issues ---------------------------------------------------------------

def label(schemas: Schemas, kind: str, path, data=None) -> str:
    """'Criteria (open-hours) › Level': schema titles, list items named by their id where they have one."""
    labels = schemas.labels(kind, path)
    node = data
    for step, segment in enumerate(path):
        node = node[segment] if _has(node, segment) else None
        if isinstance(segment, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            labels[sum(not isinstance(s, int) for s in path[:step]) - 1] = \
                f"{schemas.labels(kind, path[:step])[-1]} ({node['id']})"
    return " › ".join(labels) if labels else "The record"


def _has(node, segment) -> bool:
    return (isinstance(node, dict) and segment in node) or \
        (isinstance(node, list) and isinstance(segment, int) and segment < len(node))


def make_issue(document: Document, path, code: str, key: bool = False, severity: str = "error", **values) -> Issue:
    """An issue at a field of a document, worded by the messages table."""
    message, hint = messages.say(code, **values)
    line, col = document.position(path, key=key)
    return Issue(document.path, line, col, code, message, hint, _dotted(path), severity)


def _is_text_map(field_schema: dict) -> bool:
    return set(field_schema.get("properties", {})) == set(LANGUAGES)


def issues_for(error: ValidationError, document: Document, kind: str, schemas: Schemas):
    path = tuple(error.absolute_path)
    key = "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str)
    if key:  # a key (a term's identifier) is wrong: point at it
        path += (error.instance,)
    where = label(schemas, kind, path, document.data)
    keyword = error.validator
    field_schema = schemas.field_schema(kind, path)
    description = field_schema.get("description", "")
    if hasattr(error, "kb_code"):
        yield make_issue(document, path, error.kb_code, label=where, **{"hint": "", **error.kb_values})
    elif keyword == "required":
        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        child = schemas.field_schema(kind, path + (missing,))
        about = f" — {child['description']}" if child.get("description") else ""
        yield make_issue(document, path, "schema.required", key=bool(path) and isinstance(path[-1], str),
                         where=where if path else "The record",
                         field=missing, title=child.get("title", missing), about=about)
    elif keyword == "additionalProperties":
        allowed = sorted(field_schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed)):
            if _is_text_map(field_schema):
                yield make_issue(document, path + (extra,), "text.unknown_language", key=True, label=where, field=extra,
                                 languages=messages.LANGUAGE_CHOICES)
            else:
                yield make_issue(document, path + (extra,), "schema.unknown_field", key=True,
                                 prefix=f"{where}: " if path else "", field=extra,
                                 suggest=messages.suggest(extra, allowed), allowed=", ".join(allowed))
    elif keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        yield make_issue(document, path, "schema.type", label=where,
                         expected=" or ".join(messages.TYPE_WORDS[t] for t in expected),
                         found=messages.TYPE_WORDS.get(_json_type(error.instance), "something else"),
                         hint=_type_hint(field_schema, expected))
    elif keyword == "enum":
        yield make_issue(document, path, "schema.enum", label=where, value=error.instance,
                         suggest=messages.suggest(error.instance, error.validator_value),
                         choices=", ".join(str(v) for v in error.validator_value))
    elif keyword in ("pattern", "format", "propertyNames"):
        hidden = hidden_character(error.instance, error.validator_value if keyword == "pattern" else None, schemas) \
            if isinstance(error.instance, str) else None
        if hidden:
            yield make_issue(document, path, "text.hidden_character", key=key, label=where, character=character_name(hidden[1]),
                             position=hidden[0] + 1)
        else:
            yield _format_issue(document, path, where, error.instance, field_schema, schemas, key)
    elif keyword == "maxLength":
        yield make_issue(document, path, "text.too_long", key=key, label=where, length=len(error.instance),
                         limit=error.validator_value)
    elif keyword in ("minItems", "minLength", "minProperties"):
        hint = ("write the text, or delete the line until there is one" if path and path[-1] in LANGUAGES
                else description or "fill in a value")
        yield make_issue(document, path, "schema.empty", label=where, hint=hint)
    elif keyword in ("anyOf", "oneOf"):
        yield make_issue(document, path, "schema.choice", label=where, value=error.instance, hint=description)
    elif keyword == "uniqueItems":
        yield make_issue(document, path, "schema.duplicate_item", label=where)
    else:
        yield make_issue(document, path, "schema.other", label=where, detail=error.message, hint=description)


def _format_issue(document, path, where, value, field_schema, schemas: Schemas, key: bool = False) -> Issue:
    url_pattern = schemas.documents["common.schema.json"]["definitions"]["url"]["pattern"]
    if field_schema.get("pattern") == url_pattern and isinstance(value, str):
        unsafe = UNSAFE_SCHEME.match(value)
        if unsafe:
            return make_issue(document, path, "schema.unsafe_url", label=where, scheme=unsafe.group(1).lower())
        return make_issue(document, path, "schema.url", label=where, value=value)
    return make_issue(document, path, "schema.format", key=key, label=where, value=value,
                      hint=field_schema.get("description") or "check the value's form")


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "string")


def _type_hint(field_schema: dict, expected) -> str:
    if "object" in expected and _is_text_map(field_schema):
        return "give the text per language on separate lines, e.g. `pl: …`, `uk: …`, `en: …`, each indented under the field"
    if "string" in expected:
        return "write the value as text; put it in quotes if it looks like a number, date or true/false"
    if "array" in expected:
        return "write a list, one entry per line starting with '- ', or [a, b] on one line"
    return field_schema.get("description", "")
