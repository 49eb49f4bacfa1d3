"""What is known about each kind of record at a glance: the columns of its catalogue cards and
table, the facets its catalogue narrows by, the ways it sorts, and the facets search narrows
by. Exports and statistics are to read the same lists.

A column names its label (under `field:` in labels.yml) and how a page shows its cell (HTML: the
cards are raw HTML); a facet names its filter (in the page's address, and as Pagefind knows it),
its label, the identifiers a record carries and where the words for them come from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup

from .. import KINDS, LANGUAGES


def country(record) -> str:
    """Where each kind keeps its country: pages, columns and facets ask here."""
    return record.location["country"] if record.kind == "practice" else record.country


def _year(date) -> int | None:
    return int(str(date)[:4]) if date else None


def year(record) -> int | None:
    """The year a catalogue sorts a record by: when a practice started, when an act was adopted;
    None for the kinds without one."""
    if record.kind == "practice":
        return _year(record.period and record.period["start"])
    return _year(record.adopted) if record.kind == "act" else None


def years(record) -> list[str]:
    """Every year a practice ran, from its start to its end (to its last update while it runs)."""
    if record.kind != "practice" or not record.period:
        return []
    first = _year(record.period["start"])
    last = _year(record.period["end"] or record.updated) or first
    return [str(value) for value in range(first, max(first, last) + 1)]


def period(record) -> tuple[str, str | None] | None:
    """(start, end) as written; end None while it runs; a period within one year (2017–2017)
    is that year alone (end equal to start)."""
    if not record.period:
        return None
    start, end = str(record.period["start"]), record.period["end"]
    if end is not None and str(end) == start:
        return start, start
    return start, None if end is None else str(end)


def languages_available(record) -> list[str]:
    """The languages a reader can read the record in (the original or a translation, of any state)."""
    return [lang for lang in LANGUAGES if record.translations[lang].state != "missing"]


@dataclass(frozen=True)
class Column:
    label: str  # key under field: in labels.yml
    cell: Callable  # (page, record) → Markup (HTML)
    numeric: bool = False  # right-aligned


@dataclass(frozen=True)
class Facet:
    name: str  # filter name in the catalogue's and the search page's address (and Pagefind's index)
    label: str  # key under search: in labels.yml
    values: Callable  # record → [identifier]
    vocabulary: str | None = None  # the taxonomy list its values come from and are labelled by
    group: str | None = None  # or the labels.yml group naming its values; neither: shown as written


@dataclass(frozen=True)
class Sort:
    name: str  # in the catalogue's address (sort=…)
    label: str  # key under catalogue: in labels.yml
    key: Callable  # record → the value sorted by; None sorts last


def period_cell(page, record) -> Markup:
    span = period(record)
    if span is None:
        return Markup("")
    start, end = span
    if end == start:
        return Markup("{}").format(start)
    return Markup("{} – {}").format(start, end or page.html_label("field", "ongoing"))


def _place_cell(page, record) -> Markup:
    """Country, regions and places: where a practice happened, as one line."""
    parts = [page.term_html("countries", country(record))]
    parts += [page.term_html("regions", region) for region in record.location["regions"]]
    parts += [page.html({page.lang: place}, page.lang) for place in record.location["places"]]
    return Markup(" · ").join(parts)


TITLE = Column("title", lambda page, record: page.record_anchor(record))
COUNTRY = Column("country", lambda page, record: page.term_html("countries", country(record)))
THEMES = Column("themes", lambda page, record: page.terms_html("themes", record.themes))
TARGET_GROUPS = Column("target_groups", lambda page, record: page.terms_html("target_groups", record.target_groups))
YEAR = Column("year", lambda page, record: Markup("{}").format(year(record) or ""))
TRANSLATION = Column("translation", lambda page, record: page.html_label("translation_state", record.translations[page.lang].state))

COLUMNS = {
    "practice": [TITLE, Column("place", _place_cell), Column("period", period_cell), THEMES, TARGET_GROUPS,
                 Column("evidence", lambda page, record: page.term_html("evidence_levels", record.evidence)), TRANSLATION],
    "standard": [TITLE, COUNTRY, THEMES, TARGET_GROUPS,
                 Column("criteria_count", lambda page, record: Markup("{} / {}").format(
                     record.count("mandatory"), record.count("extended"))),
                 Column("self_assessment", lambda page, record: page.assessment_anchor(record)), TRANSLATION],
    "recommendation": [TITLE, COUNTRY,
                       Column("status", lambda page, record: page.html_label("recommendation_status", record.status)),
                       Column("addressee", lambda page, record: page.html(record.addressee, record.lang)),
                       THEMES, TRANSLATION],
    "act": [TITLE, Column("eli", lambda page, record: page.html({page.lang: record.eli or ""}, page.lang)), COUNTRY, YEAR,
            Column("article_count", lambda page, record: Markup(len(record.articles)), numeric=True), TRANSLATION],
    "method": [TITLE, COUNTRY, THEMES, Column("stage_count", lambda page, record: Markup(len(record.stages)), numeric=True),
               TRANSLATION],
}
assert set(COLUMNS) == set(KINDS)

KIND = Facet("kind", "facet_kind", lambda record: [record.kind])
THEME = Facet("theme", "facet_theme", lambda record: list(record.themes), "themes")
COUNTRY_FACET = Facet("country", "facet_country", lambda record: [country(record)], "countries")
TARGET_GROUP = Facet("target_group", "facet_target_group", lambda record: list(record.target_groups), "target_groups")
INSTITUTION_TYPE = Facet("institution_type", "facet_institution_type", lambda record: list(record.institution_types),
                         "institution_types")
LANGUAGE = Facet("language", "facet_language", languages_available, group="language_name")

REGION = Facet("region", "facet_region", lambda record: list(record.location["regions"]) if record.kind == "practice" else [],
               "regions")
EVIDENCE = Facet("evidence", "facet_evidence", lambda record: [record.evidence] if record.kind == "practice" else [],
                 "evidence_levels")
YEAR = Facet("year", "facet_year", years)
# The search page's (record kinds without the field give no value, and are left out by a tick there).
FACETS = [KIND, THEME, Facet("target_group", "facet_target_group", lambda record: list(getattr(record, "target_groups", None) or []),
                             "target_groups"),
          COUNTRY_FACET, REGION, EVIDENCE, YEAR, LANGUAGE]
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
# The catalogue of each kind narrows by these, in this order.
CATALOGUE_FACETS = {
    "practice": [THEME, TARGET_GROUP,
                 Facet("municipality_type", "facet_municipality_type", lambda record: list(record.location["municipality_types"]),
                       "municipality_types"),
                 INSTITUTION_TYPE, COUNTRY_FACET,
                 REGION, YEAR, EVIDENCE, LANGUAGE],
    "standard": [THEME, TARGET_GROUP, INSTITUTION_TYPE, COUNTRY_FACET, LANGUAGE],
    "recommendation": [Facet("status", "facet_status", lambda record: [record.status], group="recommendation_status"),
                       THEME, TARGET_GROUP, COUNTRY_FACET, LANGUAGE],
    "act": [THEME, COUNTRY_FACET, LANGUAGE],
    "method": [THEME, INSTITUTION_TYPE, COUNTRY_FACET, LANGUAGE],
}
assert set(CATALOGUE_FACETS) == set(KINDS)

TITLE_SORT = Sort("title", "sort_title", lambda record: None)  # by the title in the reader's language (the page's collation)
UPDATED_SORT = Sort("updated", "sort_updated", lambda record: str(record.updated))
SORTS = {kind: [TITLE_SORT, UPDATED_SORT] for kind in KINDS}
for _kind in ("practice", "act"):
    SORTS[_kind] = [TITLE_SORT, Sort("year", "sort_year", year), UPDATED_SORT]
