"""`kb search-eval`: how well the site's search answers a query set, per language, measured in
headless Chromium through the same code the search box uses (window.kbSearch).

Each query names the record it must return (`expect`, grade 2), may name others that also
answer it (`relevant`, grade 1) and records that must not rank above the expected one
(`not_above`). Figures per language: recall@5 (the expected record among the first five),
precision@5 (the share of the first five results, or of all of them when fewer, that are
relevant), MRR (1 / the rank of the first relevant result, 0 beyond ten), nDCG@10 (graded),
and rank 1.

Also reports how many queries still succeed with a one-letter typo: the middle letter of the
query's longest word (6+ letters) replaced by another letter."""
from __future__ import annotations

import contextlib
import math

from dataclasses import dataclass, field
from pathlib import Path

from .browser import PREFIX, chromium, served
from ..load import parse_text

TOP = 5
DEEP = 10  # MRR and nDCG look this far
TARGET = 0.95
TARGET_MRR = 0.85
TARGET_PRECISION = 0.6


@dataclass
class Outcome:
    query: str
    expect: str
    found: list  # result paths, best first
    typo_query: str | None = None
    typo_found: list = field(default_factory=list)
    relevant: list = field(default_factory=list)
    not_above: list = field(default_factory=list)

    def grade(self, path: str) -> int:
        if _is(path, self.expect):
            return 2
        return 1 if any(_is(path, other) for other in self.relevant) else 0

    @property
    def precision(self) -> float:
        first = self.found[:TOP]
        return sum(self.grade(path) > 0 for path in first) / len(first) if first else 0.0

    @property
    def reciprocal_rank(self) -> float:
        return next((1 / (i + 1) for i, path in enumerate(self.found[:DEEP]) if self.grade(path)), 0.0)

    @property
    def ndcg(self) -> float:
        gains = [self.grade(path) for path in self.found[:DEEP]]
        dcg = sum((2 ** gain - 1) / math.log2(i + 2) for i, gain in enumerate(gains))
        ideal = sorted([2] + [1] * len(self.relevant), reverse=True)[:DEEP]
        return dcg / sum((2 ** gain - 1) / math.log2(i + 2) for i, gain in enumerate(ideal))

    @property
    def outranked_by(self) -> list:
        """Records of not_above ranked above the expected one (or found while it is not)."""
        rank = self.rank or DEEP + 1
        return [path for path in self.found[:rank - 1] if any(_is(path, other) for other in self.not_above)]

    @property
    def rank(self) -> int | None:
        return next((i + 1 for i, path in enumerate(self.found[:TOP]) if _is(path, self.expect)), None)

    @property
    def typo_hit(self) -> bool:
        return any(_is(path, self.expect) for path in self.typo_found[:TOP])


def _is(path: str, expect: str) -> bool:
    """Result path /uk/practices/x/ or /practices/x/#anchor names record practices/x."""
    parts = path.split("#")[0].strip("/").split("/")
    if parts and parts[0] + "/" in PREFIX.values():
        parts = parts[1:]
    return "/".join(parts) == expect


def with_typo(query: str) -> str | None:
    """The query with the middle letter of its longest word of 6+ letters replaced, or None."""
    words = query.split()
    longest = max(words, key=len)
    if sum(ch.isalpha() for ch in longest) < 6:
        return None
    middle = len(longest) // 2
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in longest)
    replacement = ("о" if longest[middle] != "о" else "а") if cyrillic else ("o" if longest[middle] != "o" else "a")
    return query.replace(longest, longest[:middle] + replacement + longest[middle + 1:], 1)


def load_queries(path: Path) -> dict[str, list[dict]]:
    document, issues = parse_text(path.read_text(encoding="utf-8"), str(path))
    if issues:
        raise ValueError("; ".join(issue.message for issue in issues))
    return document.data


def evaluate(site: Path, queries: dict[str, list[dict]], browser=None) -> dict[str, list[Outcome]]:
    """Run every query in Chromium (`browser`, or one started here) on the site served locally."""
    with contextlib.ExitStack() as stack:
        browser = browser or stack.enter_context(chromium())
        return _evaluate(stack.enter_context(served(site)), browser, queries)


def _evaluate(base: str, browser, queries: dict[str, list[dict]]) -> dict[str, list[Outcome]]:
    outcomes: dict[str, list[Outcome]] = {}
    page = browser.new_page()
    try:
        for lang, entries in queries.items():
            page.goto(f"{base}{PREFIX[lang]}search/", wait_until="load")
            texts = [entry["query"] for entry in entries]
            typos = [with_typo(text) for text in texts]
            found = page.evaluate("""async ([texts, limit]) => {
                const answers = [];
                for (const text of texts) {
                    answers.push(text === null ? [] : (await window.kbSearch.top(text, {}, limit)).map(r => r.url));
                }
                return answers;
            }""", [texts + typos, DEEP])
            outcomes[lang] = [Outcome(entry["query"], entry["expect"], found[i], typos[i], found[len(texts) + i],
                                      entry.get("relevant", []), entry.get("not_above", []))
                              for i, entry in enumerate(entries)]
    finally:
        page.close()
    return outcomes


def recall(outcomes: list[Outcome]) -> float:
    return sum(outcome.rank is not None for outcome in outcomes) / len(outcomes)


def mean(outcomes: list[Outcome], figure: str) -> float:
    return sum(getattr(outcome, figure) for outcome in outcomes) / len(outcomes)


def meets_targets(results: list[Outcome]) -> bool:
    return (recall(results) >= TARGET and mean(results, "reciprocal_rank") >= TARGET_MRR
            and mean(results, "precision") >= TARGET_PRECISION and not any(outcome.outranked_by for outcome in results))


def report(outcomes: dict[str, list[Outcome]]) -> str:
    lines = [f"{'language':<10}{'queries':>8}{'recall@5':>10}{'P@5':>7}{'MRR':>7}{'nDCG@10':>9}{'rank 1':>8}"
             f"{'typo queries':>14}{'typo recall@5':>15}"]
    for lang, results in outcomes.items():
        first = sum(outcome.rank == 1 for outcome in results) / len(results)
        typos = [outcome for outcome in results if outcome.typo_query]
        typo_recall = sum(outcome.typo_hit for outcome in typos) / len(typos) if typos else 0.0
        lines.append(f"{lang:<10}{len(results):>8}{recall(results):>10.1%}{mean(results, 'precision'):>7.2f}"
                     f"{mean(results, 'reciprocal_rank'):>7.2f}{mean(results, 'ndcg'):>9.2f}{first:>8.1%}"
                     f"{len(typos):>14}{typo_recall:>15.1%}")
    misses = [(lang, outcome) for lang, results in outcomes.items() for outcome in results if outcome.rank is None]
    if misses:
        lines.append("")
        lines.append("Not in the first five:")
        lines += [f"  {lang}: {outcome.query!r} → expected {outcome.expect}, got {outcome.found[:TOP]}" for lang, outcome in misses]
    above = [(lang, outcome) for lang, results in outcomes.items() for outcome in results if outcome.outranked_by]
    if above:
        lines.append("")
        lines.append("Ranked above the expected record although they must not be:")
        lines += [f"  {lang}: {outcome.query!r} → {outcome.outranked_by} above {outcome.expect}" for lang, outcome in above]
    return "\n".join(lines)


def run(site: Path, queries_file: Path) -> int:
    outcomes = evaluate(site, load_queries(queries_file))
    print(report(outcomes))
    return 0 if all(meets_targets(results) for results in outcomes.values()) else 1
