"""`kb search-eval`: recall@5 of the site's search on a query set, per language, measured in
headless Chromium through the same code the search box uses (window.kbSearch).

Also reports how many queries still succeed with a one-letter typo: the middle letter of the
query's longest word (6+ letters) replaced by another letter."""
from __future__ import annotations

import contextlib

from dataclasses import dataclass, field
from pathlib import Path

from .browser import PREFIX, chromium, served
from ..load import parse_text

TOP = 5
TARGET = 0.95


@dataclass
class Outcome:
    query: str
    expect: str
    found: list  # result paths, best first
    typo_query: str | None = None
    typo_found: list = field(default_factory=list)

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
            }""", [texts + typos, TOP])
            outcomes[lang] = [Outcome(entry["query"], entry["expect"], found[i], typos[i], found[len(texts) + i])
                              for i, entry in enumerate(entries)]
    finally:
        page.close()
    return outcomes


def recall(outcomes: list[Outcome]) -> float:
    return sum(outcome.rank is not None for outcome in outcomes) / len(outcomes)


def report(outcomes: dict[str, list[Outcome]]) -> str:
    lines = [f"{'language':<10}{'queries':>8}{'recall@5':>10}{'rank 1':>8}{'typo queries':>14}{'typo recall@5':>15}"]
    for lang, results in outcomes.items():
        first = sum(outcome.rank == 1 for outcome in results) / len(results)
        typos = [outcome for outcome in results if outcome.typo_query]
        typo_recall = sum(outcome.typo_hit for outcome in typos) / len(typos) if typos else 0.0
        lines.append(f"{lang:<10}{len(results):>8}{recall(results):>10.1%}{first:>8.1%}{len(typos):>14}{typo_recall:>15.1%}")
    misses = [(lang, outcome) for lang, results in outcomes.items() for outcome in results if outcome.rank is None]
    if misses:
        lines.append("")
        lines.append("Not in the first five:")
        lines += [f"  {lang}: {outcome.query!r} → expected {outcome.expect}, got {outcome.found}" for lang, outcome in misses]
    return "\n".join(lines)


def run(site: Path, queries_file: Path) -> int:
    outcomes = evaluate(site, load_queries(queries_file))
    print(report(outcomes))
    return 0 if all(recall(results) >= TARGET for results in outcomes.values()) else 1
