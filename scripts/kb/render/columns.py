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
