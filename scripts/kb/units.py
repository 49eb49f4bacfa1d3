"""Act units: articles, paragraphs (ustęp), points (pkt) and letters (lit.), and their identifiers.

The one place in the code that knows the grammar `art_17__para_1__point_2` (act.schema.json
states it for editors' IDEs as patterns; a test keeps the two equal): a unit's id is its parent's id,
two underscores, the level's prefix, one underscore and the unit's number (lower case). The same
ids serve every language, the anchors on act pages and the references in other records."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# level → (id prefix, the field of the parent that lists units of this level)
LEVELS = {"article": ("art", "articles"), "paragraph": ("para", "paragraphs"), "point": ("point", "points"),
          "letter": ("letter", "letters")}
# which levels a unit of each level may contain, in the order they are shown
CHILDREN = {"article": ("paragraph", "point"), "paragraph": ("point",), "point": ("letter",), "letter": ()}
_PREFIXES = {prefix: level for level, (prefix, _) in LEVELS.items()}
SEPARATOR = "__"
_SEGMENT = re.compile(r"^([a-z]+)_([0-9a-z]+)$")


def make(parent_id: str | None, level: str, number) -> str | None:
    """The id a unit's place and number give it; None when the number is missing."""
    number = str(number if number is not None else "").strip().lower()
    if not number:
        return None
    segment = f"{LEVELS[level][0]}_{number}"
    return f"{parent_id}{SEPARATOR}{segment}" if parent_id else segment


def parse(unit_id: str) -> list[tuple[str, str]] | None:
    """[(level, number), …] of an id, outermost first; None when it does not follow the grammar."""
    if not isinstance(unit_id, str):
        return None
    parts = []
    for segment in unit_id.split(SEPARATOR):
        match = _SEGMENT.match(segment)
        if not match or match.group(1) not in _PREFIXES:
            return None
        parts.append((_PREFIXES[match.group(1)], match.group(2)))
    for index, (level, _) in enumerate(parts):
        if (index == 0 and level != "article") or (index > 0 and level not in CHILDREN[parts[index - 1][0]]):
            return None
    return parts


def example() -> str:
    """An id of a point, for hints."""
    return make(make(make(None, "article", 17), "paragraph", 1), "point", 2)


@dataclass(frozen=True)
class Unit:
    """One unit of raw act data, found by walking it."""

    path: tuple  # field path inside the record, e.g. ("articles", 0, "paragraphs", 1)
    level: str
    data: dict
    expected_id: str | None  # the id its parent and number give it


def walk(act_data) -> list[Unit]:
    """Every unit of an act's data, in document order (a unit before its children). Tolerates
    data that has not been validated: what is not a unit is skipped."""
    found: list[Unit] = []

    def visit(units, level, parent_id, parent_path):
        field = LEVELS[level][1]
        for index, unit in enumerate(units if isinstance(units, list) else []):
            if not isinstance(unit, dict):
                continue
            path = parent_path + (field, index)
            found.append(Unit(path, level, unit, make(parent_id, level, unit.get("number"))))
            own_id = unit.get("id") if isinstance(unit.get("id"), str) else None
            for child in CHILDREN[level]:
                visit(unit.get(LEVELS[child][1]), child, own_id, path)

    if isinstance(act_data, dict):
        visit(act_data.get("articles"), "article", None, ())
    return found


def article_id(unit_id: str) -> str:
    return unit_id.split(SEPARATOR, 1)[0]


def suggestion(unit_id: str, known) -> str:
    """A hint for an id the act does not have: close ids only (the same article, or a small
    typing slip), otherwise the act's articles."""
    known = list(dict.fromkeys(k for k in known if isinstance(k, str)))  # document order
    if not known:
        return "the act has no units yet; "
    article = article_id(str(unit_id))
    family = [k for k in known if article_id(k) == article]
    close = difflib.get_close_matches(str(unit_id), family, n=1, cutoff=0.0) if family else []
    if not close:
        close = [k for k in difflib.get_close_matches(str(unit_id), known, n=3, cutoff=0.85)
                 if _edits(str(unit_id), k) <= 2][:1]
    if close:
        return f"did you mean '{close[0]}'? "
    articles = [k for k in known if SEPARATOR not in k]
    shown = ", ".join(articles[:12]) + (f" … ({len(articles)} articles)" if len(articles) > 12 else "")
    return f"the act's articles are {shown}; "


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, for the short strings ids are."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]
