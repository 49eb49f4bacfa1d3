"""Interface text: labels.yml holds every word the pages show, in every language, like Hugo's
per-language tables. Which keys must exist is derived, not listed: every value of a schema enum
with x-labels, every kind, translation state, unit level and term page, and every key the
templates and the renderer name. `check` reports a missing one as an issue, before rendering."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from .. import KINDS, LANGUAGES, PACKAGE_DIR, SHARED_FILES, units
from ..issues import Issue
from ..load import Document, parse_text
from ..schemas import Schemas
from ..translations import STATES
from .. import messages
from . import routes
from .columns import BREAKDOWNS, CATALOGUE_FACETS, COLUMNS, FACETS, SORTS
from .markup import escape_inline

LABELS_FILE = PACKAGE_DIR / "labels.yml"
TEMPLATES = PACKAGE_DIR / "templates"
# How templates and code name a label: L.group['key'], L.group.key, labels.group.key,
# label('group', 'key'), html_label('group', 'key'), words('group', 'key'), labels.text(('group', 'key'), section(page, 'key' (a field label)
_REFERENCES = [re.compile(r"\bL\.(\w+)\[['\"]([\w-]+)['\"]\]"), re.compile(r"\bL\.(\w+)\.(\w+)\b"),
               re.compile(r"\bL\[['\"](\w+)['\"]\]\[['\"]([\w-]+)['\"]\]"),
               re.compile(r"\blabels\.(\w+)\.(\w+)\b"),
               re.compile(r"\b(?:html_)?(?:label|words)(?:_string)?\(['\"](\w+)['\"],\s*['\"]([\w-]+)['\"]"),
               re.compile(r"\btext\(\(['\"](\w+)['\"],\s*['\"]([\w-]+)['\"]")]
_SECTIONS = re.compile(r"\b(?:section|labelled|labelled_list)\(page,\s*['\"](\w+)['\"]")
_THEME = re.compile(r"\bkb_(search|footer)\.(\w+)")  # the theme's overrides get the search and footer labels as kb_search, kb_footer
THEME_OVERRIDES = PACKAGE_DIR.parents[1] / "docs" / "overrides"
NOTICE_STATES = ("missing", "stale", "machine", "draft")  # states a reader is warned about


@lru_cache(maxsize=1)
def load() -> Document:
    document, issues = parse_text(LABELS_FILE.read_text(encoding="utf-8"), _shown_path())
    if issues:
        raise ValueError(f"labels.yml is broken: {issues}")
    return document


def load_labels() -> dict:
    return load().data


def _shown_path() -> str:
    try:
        return LABELS_FILE.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(LABELS_FILE)


def text(keys: tuple, lang: str) -> str:
    node = load_labels()
    for key in keys:
        node = node[key]
    return node[lang]


@lru_cache(maxsize=8)
def escaped(lang: str, escape=escape_inline) -> dict:
    """The whole table in one language, each text escaped for Markdown (or by `escape`): L.field.summary."""
    def walk(node):
        if _is_leaf(node):
            return Markup(escape(node[lang]))
        return {key: walk(child) for key, child in node.items()}
    return walk(load_labels())


def _is_leaf(node) -> bool:
    return isinstance(node, dict) and bool(node) and set(node) <= set(LANGUAGES) and all(isinstance(v, str) for v in node.values())


def required(schemas: Schemas) -> set[tuple]:
    """Every label key the pages can ask for."""
    keys = {("kind", kind) for kind in KINDS} | {("catalogue", kind) for kind in KINDS} | \
        {("catalogue_intro", kind) for kind in KINDS} | {("translation_state", state) for state in STATES} | \
        {("notice", state) for state in NOTICE_STATES} | {("unit", level) for level in units.LEVELS} | \
        {("language_name", lang) for lang in LANGUAGES} | {("month", f"{month:02d}") for month in range(1, 13)}
    keys |= {("field", column.label) for columns in COLUMNS.values() for column in columns}
    keys |= {("search", facet.label) for facet in FACETS}
    keys |= {("statistics", key) for breakdown in BREAKDOWNS for key in (breakdown.name, f"{breakdown.name}_value")}
    keys.add(("statistics", "translation"))  # the translation coverage chart's title
    keys |= {("search", facet.label) for facets in CATALOGUE_FACETS.values() for facet in facets}
    keys |= {("catalogue", sort.label) for sorts in SORTS.values() for sort in sorts}
    for vocabulary in routes.TERM_FOLDERS:
        keys |= {("terms", vocabulary), ("terms", f"{vocabulary}_intro"), ("home", f"by_{vocabulary}")}
    for kind in (*KINDS, *SHARED_FILES):
        for _, values, group in schemas.enum_fields(kind):
            if group:
                keys |= {(group, str(value)) for value in values}
    from .method_page import PLAN_TEXTS  # (they import this module)
    from .standard_page import ASSESS_TEXTS, CHOSEN_BY_VALUE
    keys |= {("assess", key) for key in ASSESS_TEXTS + CHOSEN_BY_VALUE} | {("plan", key) for key in PLAN_TEXTS}
    from .generators import NEEDS
    keys |= {("home", f"need_{need}{part}") for need, _ in NEEDS for part in ("", "_what", "_count")}
    from ..forms import FORM_TEXTS  # the issue forms and kb from-issue's answers
    keys |= {("forms", key) for key in FORM_TEXTS}
    from ..serve import PREVIEW_TEXTS  # the preview's banner after a failed save
    keys |= {("preview", key) for key in PREVIEW_TEXTS}
    return keys | named_in_sources()


@lru_cache(maxsize=1)
def named_in_sources() -> frozenset:
    """Label keys written out in the templates and the renderer's code."""
    keys = set()
    sources = sorted(TEMPLATES.glob("*.j2")) + sorted(p for p in Path(__file__).parent.glob("*.py") if p.name != "labels.py")
    for source in sources:
        content = source.read_text(encoding="utf-8")
        for pattern in _REFERENCES:
            keys |= set(pattern.findall(content))
        keys |= {("field", key) for key in _SECTIONS.findall(content)}
    for override in sorted(THEME_OVERRIDES.rglob("*.html")):
        keys |= set(_THEME.findall(override.read_text(encoding="utf-8")))
    return frozenset(keys)


def check(schemas: Schemas) -> list[Issue]:
    """A missing label, or a label missing a language, as issues in labels.yml."""
    document = load()
    issues = []
    for keys in sorted(required(schemas)):
        node, found = document.data, ()
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                break
            node, found = node[key], found + (key,)
        leaves = [(keys, node)] if _is_leaf(node) or not isinstance(node, dict) else \
            [(keys + (key,), child) for key, child in node.items()]
        if found != keys or not leaves:
            issues.append(_issue(document, found, "label.undefined", key=".".join(keys)))
            continue
        for leaf_keys, leaf in leaves:
            for lang in LANGUAGES:
                if not (isinstance(leaf, dict) and isinstance(leaf.get(lang), str) and leaf[lang].strip()):
                    issues.append(_issue(document, leaf_keys, "label.missing", key=".".join(leaf_keys),
                                         language=messages.language(lang), lang=lang))
    return issues


def _issue(document: Document, path: tuple, code: str, **values) -> Issue:
    line, col = document.position(path)
    return messages.issue(document.path, line, col, code, at=values["key"], **values)
