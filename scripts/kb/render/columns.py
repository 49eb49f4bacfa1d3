"""What is known about each kind of record at a glance: the columns of its catalogue table and
the facets search narrows by. Exports and statistics are to read the same lists.

A column names its label (under `field:` in labels.yml) and how a page shows its cell; a facet
names its filter (as Pagefind and the search page's address know it), its label and the
identifiers a record carries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup

from .. import KINDS


def country(record) -> str:
    """Where each kind keeps its country: pages, columns and facets ask here."""
    return record.location["country"] if record.kind == "practice" else record.country


@dataclass(frozen=True)
class Column:
    label: str  # key under field: in labels.yml
    cell: Callable  # (page, record) → Markup
    numeric: bool = False  # right-aligned


@dataclass(frozen=True)
class Facet:
    name: str  # filter name in Pagefind's index and in the search page's address
    label: str  # key under search: in labels.yml
    values: Callable  # record → [identifier]
    vocabulary: str | None = None  # the taxonomy list its values come from; None for the kind


def _period(page, record) -> Markup:
    if not record.period:
        return Markup("")
    return Markup("{}–{}").format(record.period["start"], record.period["end"] or "")


TITLE = Column("title", lambda page, record: page.record_link(record))
COUNTRY = Column("country", lambda page, record: page.country_name(record))
THEMES = Column("themes", lambda page, record: page.term_list("themes", record.themes))
TARGET_GROUPS = Column("target_groups", lambda page, record: page.term_list("target_groups", record.target_groups))
TRANSLATION = Column("translation", lambda page, record: page.translation_state(record))

COLUMNS = {
    "practice": [TITLE, COUNTRY, THEMES, TARGET_GROUPS,
                 Column("evidence", lambda page, record: page.T["evidence_levels"][record.evidence]),
                 Column("period", _period), TRANSLATION],
    "standard": [TITLE, COUNTRY, THEMES, TARGET_GROUPS,
                 Column("criteria_count", lambda page, record: Markup("{} / {}").format(
                     record.count("mandatory"), record.count("extended"))),
                 Column("self_assessment", lambda page, record: page.assessment_link(record)), TRANSLATION],
    "recommendation": [TITLE, COUNTRY,
                       Column("status", lambda page, record: page.L["recommendation_status"][record.status]),
                       Column("addressee", lambda page, record: page.text(record.addressee, record.lang)),
                       THEMES, TRANSLATION],
    "act": [TITLE, Column("eli", lambda page, record: page.plain(record.eli)), COUNTRY,
            Column("article_count", lambda page, record: Markup(len(record.articles)), numeric=True), TRANSLATION],
    "method": [TITLE, COUNTRY, THEMES, Column("stage_count", lambda page, record: Markup(len(record.stages)), numeric=True),
               TRANSLATION],
}
assert set(COLUMNS) == set(KINDS)

FACETS = [
    Facet("kind", "facet_kind", lambda record: [record.kind]),
    Facet("theme", "facet_theme", lambda record: list(record.themes), "themes"),
    Facet("country", "facet_country", lambda record: [country(record)], "countries"),
]
PAGE_KIND = "page"  # the kind facet's value for hand-written pages


# -- open data ------------------------------------------------------------------------------
# The exported columns of each kind are derived from its schema, here and nowhere else: the
# exports, their datapackage.json and the data page read this list.
LIST_SEPARATOR = "; "  # joins the values of a list field in one cell (term ids have no ';')
TRANSLATION_STATE = "translation_state"  # the column holding the state of the file's language version
_TABLE_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}


@dataclass(frozen=True)
class ExportColumn:
    name: str  # stable field id: 'title', 'location.country', 'themes_labels', 'translation_state'
    path: tuple  # where its value is in the record's data (() for the translation state)
    title: str  # from the schema (English)
    description: str
    type: str  # Table Schema type: string, number, integer, boolean, date
    shape: str  # text (per language) · value · list (joined) · labels (of the terms at `path`) · translation
    vocabulary: str | None = None  # taxonomy list of a labels column
    label_group: str | None = None  # labels.yml group of a labels column over an enum (x-labels)


def export_columns(schemas, kind: str) -> list[ExportColumn]:
    """The columns of a kind's tables: every field of the schema holding text, a value or a list
    of values, a group of such fields one level down (dotted name), a labels column beside every
    field whose values are term ids or codes with labels, and the translation state. Lists of
    structured parts (criteria, articles, sources …) are left out: see export_left_out."""
    columns: list = []
    properties = schemas.inlined(kind)["properties"]
    for key, schema in properties.items():
        if schema.get("type") == "object" and "x-text" not in schema and key != "translations":
            for child_key, child in schema.get("properties", {}).items():
                columns += _export_field((key, child_key), child, schema.get("title", key))
        elif key != "translations":
            columns += _export_field((key,), schema, "")
    return columns + [ExportColumn(TRANSLATION_STATE, (), "Translation state", TRANSLATION_STATE_DESCRIPTION,
                                   "string", "translation")]


TRANSLATION_STATE_DESCRIPTION = (
    "State of the text columns in this file's language: source (written in it), reviewed, machine, draft, "
    "stale (the original changed since it was translated) or missing (the text columns hold the original).")


def _export_field(path: tuple, schema: dict, group: str) -> list[ExportColumn]:
    name = ".".join(path)
    title = f"{group}: {schema.get('title', path[-1])}" if group else schema.get("title", path[-1])
    description = schema.get("description", "")
    if "x-text" in schema:
        return [ExportColumn(name, path, title, description, "string", "text")]
    if schema.get("type") == "array":
        items = schema.get("items", {})
        if items.get("type") not in _TABLE_TYPES:
            return []  # structured parts
        listed = ExportColumn(name, path, title, f"{description} Several values are joined with '{LIST_SEPARATOR}'.",
                              "string", "list")
        return [listed] + _labels_column(path, items, title, plural=True)
    if schema.get("type") == "object" or schema.get("type") not in (*_TABLE_TYPES, None):
        return []
    kind = "date" if schema.get("format") == "date" else _TABLE_TYPES.get(schema.get("type"), "string")
    return [ExportColumn(name, path, title, description, kind, "value")] + _labels_column(path, schema, title, plural=False)


def _labels_column(path: tuple, schema: dict, title: str, plural: bool) -> list[ExportColumn]:
    if not (schema.get("x-taxonomy") or schema.get("x-labels")):
        return []
    which = "the terms in the column before, in the same order, joined with '; '" if plural else "the value in the column before"
    return [ExportColumn(f"{'.'.join(path)}_label{'s' if plural else ''}", path, f"{title} (labels)",
                         f"Labels, in this file's language, of {which}.", "string", "labels",
                         schema.get("x-taxonomy"), schema.get("x-labels"))]


def export_left_out(schemas, kind: str) -> list[str]:
    """Fields of a kind that no column holds (lists of structured parts), for the data page."""
    exported = {column.path[0] for column in export_columns(schemas, kind) if column.path}
    return [key for key in schemas.inlined(kind)["properties"] if key not in exported and key != "translations"]


# -- statistics -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Breakdown:
    """One chart of the statistics page: records of `kinds` counted by the values of a field."""
    name: str  # its anchor, chart file and label key under statistics: in labels.yml
    kinds: tuple
    values: Callable  # record → [value]
    vocabulary: str | None = None  # the taxonomy list of its values; None: years, counted in order


def _start_year(record) -> list:
    return [int(str(record.period["start"])[:4])] if record.period else []


BREAKDOWNS = [
    Breakdown("by_theme", tuple(KINDS), lambda record: list(record.themes), "themes"),
    Breakdown("by_country", tuple(KINDS), lambda record: [country(record)], "countries"),
    Breakdown("by_region", ("practice",), lambda record: list(record.location["regions"]), "regions"),
    Breakdown("by_year", ("practice",), _start_year),
    Breakdown("by_target_group", ("practice", "standard", "recommendation"),
              lambda record: list(record.target_groups), "target_groups"),
    Breakdown("by_evidence", ("practice",), lambda record: [record.evidence], "evidence_levels"),
]
