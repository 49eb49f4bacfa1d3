"""The statistics page: every number is counted from the records (checked here against a count
made independently of the renderer), each chart is a light SVG file with text as text, titled
in the reader's language, and its numbers are in a table beside it."""
import re
from collections import Counter

import pytest

from conftest import FIXTURE
from kb import KINDS, LANGUAGES
from kb.load import load_tree
from kb.model import build_model
from kb.render import labels, render_site, routes
from kb.render.columns import BREAKDOWNS
from kb.schemas import Schemas

SVG_LIMIT = 40 * 1024  # bytes: a chart of a few dozen bars is text and a few paths


@pytest.fixture(scope="module")
def fixture_kb():
    tree, _ = load_tree(FIXTURE)
    schemas = Schemas(FIXTURE / "schemas")
    kb = build_model(tree, schemas)
    return kb, render_site(kb, schemas, None)


def section_table(page: str, anchor: str) -> dict:
    """The data table under one chart's heading: first cell → the other cells."""
    section = page.split(f"{{#{anchor}}}", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows[1:]}


def expected_counts(kb, name: str, lang: str) -> dict:
    """Counted here from the records' data, not by the renderer's code."""
    practices = list(kb.records["practice"].values())
    tally: Counter = Counter()
    vocabulary = None
    if name == "by_theme":
        vocabulary = "themes"
        for record in kb.all_records():
            tally.update(record.data["themes"])
    elif name == "by_country":
        vocabulary = "countries"
        tally.update(r.data["location"]["country"] if r.kind == "practice" else r.data["country"] for r in kb.all_records())
    elif name == "by_region":
        vocabulary = "regions"
        for record in practices:
            tally.update(record.data["location"]["regions"])
    elif name == "by_year":
        tally.update(str(r.data["period"]["start"])[:4] for r in practices if r.data["period"])
    elif name == "by_target_group":
        vocabulary = "target_groups"
        for record in kb.all_records():
            tally.update(record.data.get("target_groups") or [])
    elif name == "by_evidence":
        vocabulary = "evidence_levels"
        tally.update(record.data["evidence"] for record in practices)
    if vocabulary:
        return {kb.taxonomy[vocabulary][term].label[lang]: str(count) for term, count in tally.items()}
    return {year: str(count) for year, count in tally.items()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_is_counted_from_the_records(fixture_kb, lang):
    kb, files = fixture_kb
    page = files[routes.statistics_page(lang)]
    intro = page.split("\n# ", 1)[1].split("\n\n")[1]
    assert f" {sum(len(kb.records[kind]) for kind in KINDS)}. " in intro  # the records counted in all
    for breakdown in BREAKDOWNS:
        table = section_table(page, breakdown.name)
        assert {name: cells[0] for name, cells in table.items()} == expected_counts(kb, breakdown.name, lang), breakdown.name
    coverage = section_table(page, "translation")
    records = list(kb.all_records())
    for other in LANGUAGES:
        row = coverage[labels.text(("language_name", other), lang)]
        missing = sum(record.translations[other].state == "missing" for record in records)
        assert row[-1].replace("\u00a0", " ") == f"{round(100 * (len(records) - missing) / len(records))} %"
        assert sum(int(cell) for cell in row[:-1]) == len(records)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_chart_is_a_light_svg_in_the_readers_language(fixture_kb, lang):
    kb, files = fixture_kb
    page = files[routes.statistics_page(lang)]
    for name in [breakdown.name for breakdown in BREAKDOWNS] + ["translation"]:
        title = labels.text(("statistics", name), lang)
        assert f"## {title} {{#{name}}}" in page  # the title, in the reader's language
        image = re.search(rf"!\[([^\]]+)\]\(([^)]+)\)", page.split(f"{{#{name}}}", 1)[1])
        assert title in image.group(1)  # the image's text alternative names it
        assert image.group(2) == routes.link(routes.statistics_page(lang), routes.chart(name, lang))
        svg = files[routes.chart(name, lang)]
        assert svg.startswith("<?xml") and "<svg" in svg
        assert len(svg.encode("utf-8")) < SVG_LIMIT, name
        assert "@font-face" not in svg and "<font" not in svg and "base64" not in svg  # no font embedded
        assert "<text" in svg  # text stays text
    theme = next(iter(kb.taxonomy["themes"].values()))
    tagged = [record for record in kb.all_records() if theme.id in record.themes]
    if tagged:
        assert theme.label[lang] in files[routes.chart("by_theme", lang)]  # labels in the reader's language


def test_charts_are_byte_stable(fixture_kb):
    kb, files = fixture_kb
    again = render_site(kb, Schemas(FIXTURE / "schemas"), None)
    charts = [path for path in files if path.endswith(".svg")]
    assert charts and all(again[path] == files[path] for path in charts)
