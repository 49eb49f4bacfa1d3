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
    "act": [TITLE, Column("eli", lambda page, record: page.html({page.lang: record.eli}, page.lang)), COUNTRY, YEAR,
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

FACETS = [KIND, THEME, COUNTRY_FACET]  # the search page's
PAGE_KIND = "page"  # the kind facet's value for hand-written pages

# The catalogue of each kind narrows by these, in this order.
CATALOGUE_FACETS = {
    "practice": [THEME, TARGET_GROUP,
                 Facet("municipality_type", "facet_municipality_type", lambda record: list(record.location["municipality_types"]),
                       "municipality_types"),
                 INSTITUTION_TYPE, COUNTRY_FACET,
                 Facet("region", "facet_region", lambda record: list(record.location["regions"]), "regions"),
                 Facet("year", "facet_year", years),
                 Facet("evidence", "facet_evidence", lambda record: [record.evidence], "evidence_levels"),
                 LANGUAGE],
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
