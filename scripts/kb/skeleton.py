"""`kb new <kind> <id>`: a commented skeleton with every required field, derived from the schema.
Placeholders are empty on purpose: `kb validate` points at each one until it is filled in."""
from __future__ import annotations

import datetime
import os
import re
import textwrap
from pathlib import Path

from . import DEFAULT_LANGUAGE, KINDS, LANGUAGES, RESERVED_NAMES, files
from .report import emit
from .load import load_file
from .schemas import Schemas

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The schema an editor's YAML extension (yaml-language-server) checks a new record against, relative
# to it: the generated editor schema, which also offers the taxonomy's terms (kb generate).
EDITOR_SCHEMA = "../schemas/editor/{kind}.schema.json"
CODES_NOTE = ("Codes: countries are pl (Poland) and ua (Ukraine); languages are pl (Polish), uk (Ukrainian) "
              "and en (English) — Ukrainian text is uk, never ua.")
TRANSLATION_NOTE = ("When you add the texts of another language, uncomment its line below; `kb validate` prints "
                    "the source_hash to copy in. Status: machine, draft or reviewed.")


def _comment(schema: dict, indent: str, choices: list[str] | None) -> list[str]:
    text = f"{schema.get('title', '')}: {schema.get('description', '')}".strip(": ")
    if choices:
        text += " Choose from: " + ", ".join(choices) + "."
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 96 - len(indent), break_on_hyphens=False)]


class SkeletonWriter:
    def __init__(self, schemas: Schemas, taxonomy: dict, kind: str, record_id: str):
        self.schemas, self.taxonomy, self.kind, self.record_id = schemas, taxonomy, kind, record_id

    def choices(self, schema: dict, resolver) -> list[str] | None:
        if "enum" in schema:
            return [str(value) for value in schema["enum"]]
        vocabulary = schema.get("x-taxonomy")
        if schema.get("type") == "array":
            items, _, _ = self.schemas._deref(schema.get("items", {}), resolver)
            vocabulary = items.get("x-taxonomy")
            if "enum" in items:
                return [str(value) for value in items["enum"]]
        return sorted(self.taxonomy.get(vocabulary, {})) if vocabulary else None

    def lines(self, schema: dict, resolver, indent: str, path: tuple) -> list[str]:
        schema, resolver, _ = self.schemas._deref(schema, resolver)
        out: list[str] = []
        for key in schema.get("required", []):
            child, child_resolver = self.schemas.child(schema, resolver, key)
            resolved, child_resolver, text_kind = self.schemas._deref(child, child_resolver)
            out += _comment(resolved, indent, self.choices(resolved, child_resolver))
            out += self.value(key, resolved, child_resolver, text_kind, indent, path + (key,))
        return out

    def value(self, key, schema, resolver, text_kind, indent, path) -> list[str]:
        if path == ("id",):
            return [f"{indent}id: {self.record_id}"]
        if path == ("lang",):
            return [f"{indent}lang: {DEFAULT_LANGUAGE}"]
        if text_kind:  # the source language to fill in, the others ready to uncomment
            return [f"{indent}{key}:"] + [f"{indent}  {'' if lang == DEFAULT_LANGUAGE else '# '}{lang}: \"\"" for lang in LANGUAGES]
        if schema.get("format") == "date":
            return [f'{indent}{key}: "{datetime.date.today().isoformat()}"']
        kind = schema.get("type")
        if kind == "object":
            return [f"{indent}{key}:"] + self.lines(schema, resolver, indent + "  ", path)
        if kind == "array":
            items, items_resolver, _ = self.schemas._deref(schema.get("items", {}), resolver)
            if items.get("type") == "object":
                inner = self.lines(items, items_resolver, indent + "    ", path + (0,))
                first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
                inner[first] = f"{indent}  - " + inner[first].lstrip()
                return [f"{indent}{key}:"] + inner
            return [f"{indent}{key}: []"]
        if kind == "boolean":
            return [f"{indent}{key}: false"]
        return [f'{indent}{key}: ""']

    def text(self) -> str:
        header = [f"# yaml-language-server: $schema={EDITOR_SCHEMA.format(kind=self.kind)}",
                  f"# New {self.schemas.root(self.kind)['title'].lower()}: fill in every empty value, then run `kb validate`.",
                  "# Only required fields are listed; the contributors' guide lists the optional ones.",
                  f"# {CODES_NOTE}", ""]
        body = self.lines(self.schemas.root(self.kind), self.schemas.resolver(self.kind), "", ())
        return "\n".join(header + body + self.translations()) + "\n"

    def translations(self) -> list[str]:
        """The record's translations block, one entry per other language, ready to uncomment
        with the texts of that language."""
        schema, _, _ = self.schemas._deref(self.schemas.root(self.kind)["properties"]["translations"], self.schemas.resolver(self.kind))
        lines = _comment(schema, "", None) + _comment({"description": TRANSLATION_NOTE}, "", None) + ["# translations:"]
        return lines + [f"#   {lang}: {{status: draft, source_hash: \"\"}}" for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]


def write_skeleton(root: Path, kind: str, record_id: str, out, err) -> int:
    if not ID_PATTERN.fullmatch(record_id) or len(record_id) > 80:
        err.write(f"{record_id!r} is not a valid identifier: use lower-case letters a-z, digits and single hyphens, e.g. ozps-ngo-cooperation\n")
        return 2
    if record_id.lower() in RESERVED_NAMES:  # the site's own folders and pages, and names Windows refuses
        err.write(f"'{record_id}' is a name the site uses for itself (or Windows refuses); choose another identifier\n")
        return 2
    target = root / KINDS[kind] / f"{record_id}.yml"
    if os.path.lexists(target):
        err.write(f"{target.relative_to(root)} already exists; choose another identifier or edit that file\n")
        return 1
    taxonomy_document, _ = load_file(root / "taxonomy.yml", root)
    taxonomy = taxonomy_document.data if taxonomy_document and isinstance(taxonomy_document.data, dict) else {}
    try:
        files.write_text(target, root, SkeletonWriter(Schemas(root / "schemas"), taxonomy, kind, record_id).text())
    except files.Refused as refused:
        emit([refused.issue], "text", err)
        return 1
    out.write(f"Wrote {target.relative_to(root)}; fill it in, then run `kb validate {target.relative_to(root).as_posix()}`.\n"
              f"{CODES_NOTE}\n")
    return 0
