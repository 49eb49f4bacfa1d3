"""The JSON Schemas in schemas/ are the contract. This module reads them once and derives
what other stages need from them: validators' registry, field labels, which fields hold
multilingual text, and where translation status is recorded. Nothing here re-declares a field."""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import fastjsonschema
import referencing
from jsonschema import Draft7Validator
from referencing.jsonschema import DRAFT7

from . import KINDS, SHARED_FILES, files

SCHEMA_LANGUAGE = "en"  # the schemas' titles and descriptions are written in English
ANY = "*"  # stands for any list index in a field pattern
ANY_KEY = "**"  # stands for any key of a map (taxonomy terms)
_LOADED: dict = {}
FORMATS = {name: functools.partial(Draft7Validator.FORMAT_CHECKER.conforms, format=name) for name in ("date",)}


@dataclass(frozen=True)
class TextField:
    """A field holding text keyed by language; `pattern` uses ANY for list indexes."""

    pattern: tuple
    markdown: bool


@dataclass(frozen=True)
class FieldDoc:
    """One row of the generated field reference."""

    path: str
    title: str
    description: str
    required: bool  # within its parent group
    kind: str  # text, list, number … in plain words
    vocabulary: str | None


class Schemas:
    def __init__(self, directory: Path):
        self.directory = directory
        texts = {p.name: files.read_text(p, directory, "settings") for p in sorted(directory.glob("*.schema.json"))}
        self.documents = {name: json.loads(text) for name, text in texts.items()}
        # Tells results computed with these schemas from results computed with others (memos).
        self.digest = hashlib.sha256(json.dumps(texts, sort_keys=True).encode("utf-8")).hexdigest()[:16]
        registry = referencing.Registry()
        for name, contents in self.documents.items():
            registry = registry.with_resource(name, DRAFT7.create_resource(contents))
        self.registry = registry.crawl()
        self._compiled: dict = {}
        self._node_lists: dict = {}

    @classmethod
    def load(cls, directory: Path) -> "Schemas":
        """Schemas of a folder, read again only when a schema file changed (the preview re-validates often)."""
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.schema.json")))
        key = (directory.resolve(), stamp)
        if key not in _LOADED:
            _LOADED.clear()
            _LOADED[key] = cls(directory)
        return _LOADED[key]

    def compiled(self, kind: str):
        """A fastjsonschema check of the inlined schema, compiled once."""
        if kind not in self._compiled:
            # Formats checked as jsonschema checks them (fastjsonschema's date takes any Unicode digit).
            self._compiled[kind] = fastjsonschema.compile(self.inlined(kind), formats=FORMATS)
        return self._compiled[kind]

    def root(self, name: str) -> dict:
        return self.documents[f"{name}.schema.json"]

    def resolver(self, name: str):
        return self.registry.resolver(base_uri=f"{name}.schema.json")

    # -- walking ---------------------------------------------------------------------------
    def _deref(self, schema: dict, resolver):
        """Follow $ref; return (schema, resolver, text kind). The text kind is "text" or
        "markdown" when the reference leads to a multilingual text definition (one that
        declares x-text), else None. Sibling title and description of a $ref win over the target's."""
        if "$ref" not in schema:
            return schema, resolver, None
        resolved = resolver.lookup(schema["$ref"])
        text_kind = resolved.contents.get("x-text")
        target = dict(resolved.contents)
        for key in ("title", "description"):
            if key in schema:
                target[key] = schema[key]
        return target, resolved.resolver, text_kind

    def child(self, schema: dict, resolver, segment):
        """Schema of a child field (a key) or list item (an int)."""
        schema, resolver, _ = self._deref(schema, resolver)
        if isinstance(segment, int) or segment == ANY:
            return schema.get("items", {}), resolver
        properties = schema.get("properties", {})
        if segment in properties:
            return properties[segment], resolver
        extra = schema.get("additionalProperties")
        return (extra if isinstance(extra, dict) else {}), resolver

    def labels(self, kind: str, path) -> list[str]:
        """Human labels of each step of a field path, e.g. ['Criteria (3)', 'Level']."""
        schema, resolver = self.root(kind), self.resolver(kind)
        labels: list[str] = []
        for segment in path:
            parent, parent_resolver = schema, resolver
            schema, resolver = self.child(schema, resolver, segment)
            if isinstance(segment, int):
                labels[-1:] = [f"{labels[-1] if labels else 'item'} ({segment + 1})"]
                continue
            resolved, _, _ = self._deref(schema, resolver)
            named = segment in self._deref(parent, parent_resolver)[0].get("properties", {})
            labels.append(resolved.get("title") if named and resolved.get("title") else str(segment))
        return labels

    def field_schema(self, kind: str, path) -> dict:
        schema, resolver = self.root(kind), self.resolver(kind)
        for segment in path:
            schema, resolver = self.child(schema, resolver, segment)
        return self._deref(schema, resolver)[0]

    def inlined_field(self, kind: str, path: tuple) -> dict:
        """The inlined schema of a field given by its keys (no list indexes)."""
        schema = self.inlined(kind)
        for key in path:
            schema = schema.get("properties", {}).get(key, {})
        return schema

    def text_fields(self, kind: str) -> list[TextField]:
        return [TextField(pattern, schema["x-text"] == "markdown") for pattern, schema in self._nodes(kind)
                if "x-text" in schema]

    def translation_scopes(self, kind: str) -> list[tuple]:
        """Patterns of the objects that carry their own `translations` block (the record, an article)."""
        return [pattern for pattern, schema in self._nodes(kind) if "translations" in schema.get("properties", {})]

    def keyword_fields(self, kind: str, keyword: str) -> list[tuple]:
        """(pattern, value) of every field whose schema carries `keyword`, e.g. x-taxonomy or x-ref."""
        return [(pattern, schema[keyword]) for pattern, schema in self._nodes(kind) if keyword in schema]

    def required_lists(self, kind: str) -> list[tuple]:
        """Patterns of the lists a record must give that the schema lets be empty (no minItems):
        `target_groups: []` is as good as leaving the field out, and is reported as such."""
        nodes = dict(self._nodes(kind))
        return [pattern for pattern, schema in nodes.items()
                if pattern and schema.get("type") == "array" and not schema.get("minItems")
                and pattern[-1] in nodes.get(pattern[:-1], {}).get("required", [])]

    def _nodes(self, kind: str) -> list[tuple]:
        """(field pattern, schema) of every field of the inlined schema, children before parents;
        multilingual text and translation records are leaves."""
        if kind not in self._node_lists:
            found: list = []

            def walk(schema, pattern):
                if "x-text" not in schema and pattern[-1:] != ("translations",):
                    for key, child in schema.get("properties", {}).items():
                        walk(child, pattern + (key,))
                    for key, marker in (("items", ANY), ("additionalProperties", ANY_KEY)):
                        if isinstance(schema.get(key), dict):
                            walk(schema[key], pattern + (marker,))
                found.append((pattern, schema))
            walk(self.inlined(kind), ())
            self._node_lists[kind] = found
        return self._node_lists[kind]

    def inlined(self, kind: str) -> dict:
        """The schema with every $ref replaced by its target, so validators never look anything up."""
        return self._inlined[kind]

    @cached_property
    def _inlined(self) -> dict:
        def inline(schema, resolver):
            if isinstance(schema, list):
                return [inline(item, resolver) for item in schema]
            if not isinstance(schema, dict):
                return schema
            schema, resolver, text_kind = self._deref(schema, resolver)
            inlined = {key: (value if key in ("enum", "required", "x-taxonomy", "x-ref", "x-labels") else inline(value, resolver))
                       for key, value in schema.items() if key != "definitions"}
            if text_kind:
                inlined["x-text"] = text_kind  # marks multilingual text for the stages that treat it as a whole
            return inlined
        return {kind: inline(self.root(kind), self.resolver(kind)) for kind in (*KINDS, *SHARED_FILES)}

    def complete(self, kind: str, data):
        """A copy of validated data in which every property the schema declares is present:
        an empty list where a list is left out, None for anything else, so templates can test
        optional fields strictly and loop over lists without checks."""
        def fill(value, schema):
            if "x-text" in schema:
                return value
            if isinstance(value, dict) and "properties" in schema:
                properties = schema["properties"]
                result = {key: [] if child.get("type") == "array" else None for key, child in properties.items()}
                for key, child in value.items():
                    result[key] = fill(child, properties.get(key, {}))
                return result
            if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
                return {key: fill(child, schema["additionalProperties"]) for key, child in value.items()}
            if isinstance(value, list) and isinstance(schema.get("items"), dict):
                return [fill(item, schema["items"]) for item in value]
            return value
        return fill(data, self.inlined(kind))

    def enum_fields(self, kind: str) -> list[tuple]:
        """(pattern, allowed values, label group) of every field with a fixed list of values. The
        label group (x-labels) names the section of labels.yml that shows each value to readers;
        null means the values are codes shown as written (currencies)."""
        found: list = []

        def walk(schema, pattern):
            if isinstance(schema, dict):
                if "enum" in schema:
                    found.append((pattern, schema["enum"], schema.get("x-labels")))
                for key, child in schema.get("properties", {}).items():
                    walk(child, pattern + (key,))
                for key, marker in (("items", ANY), ("additionalProperties", ANY_KEY)):
                    walk(schema.get(key), pattern + (marker,))
        walk(self.inlined(kind), ())
        return found

    # -- documentation --------------------------------------------------------------------
    def field_reference(self, kind: str) -> list[FieldDoc]:
        """Every field of a record kind, with title and description, for the contributors' guide."""
        rows: list[FieldDoc] = []

        def walk(schema, resolver, prefix, depth):
            schema, resolver, _ = self._deref(schema, resolver)
            required = set(schema.get("required", []))
            for key, child in schema.get("properties", {}).items():
                resolved, child_resolver, text_kind = self._deref(child, resolver)
                path = f"{prefix}.{key}" if prefix else key
                rows.append(FieldDoc(path, resolved.get("title", key), resolved.get("description", ""),
                                     key in required, _kind_words(resolved, text_kind),
                                     _vocabulary(resolved, child_resolver, self)))
                if text_kind or key == "translations" or depth > 4:
                    continue
                if resolved.get("type") == "object":
                    walk(resolved, child_resolver, path, depth + 1)
                elif resolved.get("type") == "array":
                    items, items_resolver, items_ref = self._deref(resolved.get("items", {}), child_resolver)
                    if items.get("type") == "object" and not items.get("x-ref"):
                        walk(items, items_resolver, f"{path}[]", depth + 1)

        walk(self.root(kind), self.resolver(kind), "", 0)
        return rows


def _kind_words(schema: dict, text_kind: str | None) -> str:
    if text_kind == "markdown":
        return "text per language (Markdown)"
    if text_kind == "text":
        return "text per language"
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    return {"string": "text", "number": "number", "integer": "whole number", "boolean": "true or false",
            "array": "list", "object": "group of fields"}.get(kind, kind or "")


def _vocabulary(schema: dict, resolver, schemas: Schemas) -> str | None:
    if "x-taxonomy" in schema:
        return schema["x-taxonomy"]
    if schema.get("type") == "array":
        items, _, _ = schemas._deref(schema.get("items", {}), resolver)
        return items.get("x-taxonomy")
    return None
