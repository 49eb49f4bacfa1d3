"""The statistics page: records counted by theme, country, region, year, target group and
evidence level (columns.BREAKDOWNS), and translation coverage per language, each as a static
SVG chart drawn at build time by matplotlib with its numbers in a table below it. Every number
is counted from the records here; nothing is typed in by hand."""
from __future__ import annotations

import io
import re
from collections import Counter
from typing import TYPE_CHECKING

from .. import KINDS, LANGUAGES
from ..translations import STATES
from . import labels, routes
from .columns import BREAKDOWNS

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn: kb validate and MkDocs' plugin need none
    from matplotlib.figure import Figure

WIDTH = 4.6  # inches (442 px): every chart as wide as the others, so its text shows at one size, readable on a phone
COLOUR = "#3949ab"  # the theme's indigo, 7.8:1 against white
STATE_COLOURS = {"source": "#1a237e", "reviewed": "#3949ab", "machine": "#7986cb", "draft": "#c5cae9",
                 "stale": "#e65100", "missing": "#bdbdbd"}
# Text stays text (no glyphs drawn as paths, no embedded font): small files the reader's own
# fonts show, Cyrillic included. Fixed ids and no date: the same counts give the same bytes.
SVG_STYLE = {"svg.fonttype": "none", "svg.hashsalt": "kb-statistics", "font.family": "sans-serif",
             "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def counts(records: list, breakdown, kb) -> tuple[list, int]:
    """[(value, records carrying it)] in the vocabulary's order (years in order), values no
    record carries left out; and how many records carry no value at all."""
    tally: Counter = Counter()
    uncounted = 0
    for record in records:
        values = breakdown.values(record)
        tally.update(set(values))
        uncounted += not values
    if breakdown.vocabulary:
        order = list(kb.taxonomy[breakdown.vocabulary])
        return [(value, tally[value]) for value in order if tally[value]], uncounted
    return sorted(tally.items()), uncounted


def coverage(records: list) -> dict:
    """language → {translation state: records in it}; every state, zeros included."""
    return {lang: {state: sum(record.translations[lang].state == state for record in records) for state in STATES}
            for lang in LANGUAGES}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    # matplotlib's comment blocks and indentation only weigh; the drawing stays the same
    return re.sub(r"\n\s+", "\n", buffer.getvalue())


def bar_chart(names: list, values: list, horizontal: bool = True) -> str:
    """Bars with their numbers at the ends: horizontal for terms (long names read), upright for years."""
    import matplotlib
    from matplotlib.figure import Figure
    with matplotlib.rc_context(SVG_STYLE):
        if horizontal:
            figure = Figure(figsize=(WIDTH, 0.28 * len(names) + 0.5), layout="constrained")
            axes = figure.subplots()
            bars = axes.barh(range(len(names)), values, color=COLOUR)
            axes.set_yticks(range(len(names)), names)
            axes.invert_yaxis()
            axes.xaxis.set_visible(False)
            axes.spines["bottom"].set_visible(False)
        else:
            figure = Figure(figsize=(WIDTH, 2.4), layout="constrained")
            axes = figure.subplots()
            bars = axes.bar(range(len(names)), values, color=COLOUR)
            axes.set_xticks(range(len(names)), names, rotation=90 if len(names) > 12 else 0)
            axes.yaxis.set_visible(False)
            axes.spines["left"].set_visible(False)
        axes.bar_label(bars, padding=2)
        axes.margins(x=0.08) if horizontal else axes.margins(y=0.12)
        return _svg(figure)


def stacked_chart(rows: list, states: list, legend: list) -> str:
    """One bar per language, split by translation state."""
    import matplotlib
    from matplotlib.figure import Figure
    with matplotlib.rc_context(SVG_STYLE):
        figure = Figure(figsize=(WIDTH, 0.4 * len(rows) + 1.0), layout="constrained")
        axes = figure.subplots()
        left = [0] * len(rows)
        for state, name in zip(states, legend):
            values = [row[1][state] for row in rows]
            axes.barh(range(len(rows)), values, left=left, color=STATE_COLOURS[state], label=name)
            left = [start + value for start, value in zip(left, values)]
        axes.set_yticks(range(len(rows)), [row[0] for row in rows])
        axes.invert_yaxis()
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, 0), ncols=3, frameon=False)
        return _svg(figure)


def statistics_pages(renderer) -> dict:
    files = {}
    records = list(renderer.kb.all_records())
    by_kind = {kind: list(renderer.kb.records[kind].values()) for kind in KINDS}
    tallies = [(breakdown, *counts([r for kind in breakdown.kinds for r in by_kind[kind]], breakdown, renderer.kb))
               for breakdown in BREAKDOWNS]
    states = coverage(records)
    for lang in renderer.languages:
        path = routes.statistics_page(lang)
        page = renderer.page(path, lang)
        charts = []
        for breakdown, tally, uncounted in tallies:
            names = [page.pick(renderer.kb.taxonomy[breakdown.vocabulary][value].label, None)[0] if breakdown.vocabulary
                     else str(value) for value, _ in tally]
            numbers = [number for _, number in tally]
            chart = routes.chart(breakdown.name, lang)
            if tally:
                files[chart] = bar_chart(names, numbers, horizontal=breakdown.vocabulary is not None)
            charts.append(_chart(page, breakdown.name, chart, [labels.text(("statistics", f"{breakdown.name}_value"), lang),
                                                                  labels.text(("statistics", "records"), lang)],
                                 [[page.plain(name), page.number(number)] for name, number in zip(names, numbers)], uncounted))
        shown = [state for state in STATES if any(states[other][state] for other in LANGUAGES)]
        legend = [labels.text(("translation_state", state), lang) for state in shown]
        rows = [(labels.text(("language_name", other), lang), states[other]) for other in LANGUAGES]
        chart = routes.chart("translation", lang)
        files[chart] = stacked_chart(rows, shown, legend)
        table = [[page.plain(name)] + [page.number(counted[state]) for state in shown]
                 + [page.plain(f"{_share(counted, len(records))} %")] for name, counted in rows]
        charts.append(_chart(page, "translation", chart, [labels.text(("statistics", "language"), lang)] + legend
                             + [labels.text(("statistics", "available"), lang)], table, 0))
        files[path] = renderer.template("statistics.md.j2", path, lang, page=page, charts=charts, total=len(records))
    return files


def _share(counted: dict, total: int) -> int:
    """Records whose text exists in the language, in per cent."""
    return round(100 * (total - counted["missing"]) / total) if total else 0


def _chart(page, name: str, image: str, headers: list, rows: list, uncounted: int) -> dict:
    title = page.label("statistics", name)
    return {"name": name, "title": title, "image": page.href(image), "headers": [page.plain(h) for h in headers],
            "rows": rows, "uncounted": uncounted,
            "alt": page.label("statistics", "chart_alt", title=labels.text(("statistics", name), page.lang))}
