"""What the search script needs beside Pagefind's index: the word forms of each Ukrainian lemma
found on the site, and the synonyms and abbreviations of synonyms.yml. Both are written into
<site>/kb-search/ after MkDocs, beside Pagefind's bundle.

Pagefind has no Ukrainian stemmer and matches a query word as the start of indexed words, so
a query cut to a stem conflates words: "громадах" → "громад" also finds громадський (civic,
non-governmental). Instead, every word of the Ukrainian pages is lemmatised here with simplemma
(MIT; its word lists come from Michal Měchura's lemmatization lists, ODbL 1.0, and Wiktionary
via Kaikki, CC BY-SA), and the forms the site uses are grouped by lemma: the search script looks
the query word up and searches exactly those forms (громада, громади, громадах, громад …). The
tables are split by the first two letters of a form, so a query fetches a few kilobytes of them.
The pages themselves are left as written: excerpts show only the page's own words."""
from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from pathlib import Path

from . import LANGUAGES, SITE_FOLDERS, files, messages
from .report import format_text
from .load import parse_text

OUTPUT = SITE_FOLDERS["search_words"]
LEMMA_LANGUAGES = {"uk": "uk/"}  # language → its folder in the built site
SYNONYMS_FILE = "synonyms.yml"
_BODY = re.compile(r"<div data-pagefind-body>(.*?)</article>", re.S)
_IGNORED = re.compile(r'<(\w+)[^>]*data-pagefind-ignore(?:="all")?[^>]*>.*?</\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*", re.U)


def normal(word: str) -> str:
    """A word as the search script compares it: lower case, the typographic apostrophe as '."""
    return word.casefold().replace("’", "'").replace("ʼ", "'").strip("'-")


def chunk_key(word: str) -> str:
    """The table a form is in: its first two letters as hexadecimal code points (safe in any URL)."""
    return "-".join(f"{ord(ch):x}" for ch in word[:2])


def page_words(text: str) -> set[str]:
    body = _BODY.search(text)
    if not body:
        return set()
    plain = html.unescape(_TAG.sub(" ", _IGNORED.sub(" ", body.group(1))))
    return {word.casefold().strip("'’ʼ-") for word in WORD.findall(plain)}


def site_words(site: Path, folder: str) -> set[str]:
    words: set[str] = set()
    for path in (site / folder).rglob("index.html"):
        words |= page_words(path.read_text(encoding="utf-8"))
    return {word for word in words if len(word) > 1}


def lemma_groups(words: set[str], lang: str) -> dict[str, list[str]]:
    """lemma → the site's forms of it, as the pages write them (two or more: a lone form needs
    no table entry)."""
    import simplemma  # the build only: the pipeline's other stages never need it
    groups: dict[str, set] = defaultdict(set)
    for word in words:
        groups[normal(simplemma.lemmatize(normal(word), lang=lang))].add(word)
    return {lemma: sorted(forms) for lemma, forms in groups.items() if len({normal(form) for form in forms}) > 1}


def lemma_tables(words: set[str], lang: str) -> dict[str, dict[str, list[str]]]:
    """chunk key → {form as the search script writes it: every form of its lemma on the site}."""
    tables: dict[str, dict] = defaultdict(dict)
    for forms in lemma_groups(words, lang).values():
        for form in forms:
            tables[chunk_key(normal(form))][normal(form)] = forms
    return tables


class SynonymsError(ValueError):
    """synonyms.yml cannot be used: its first issue (kb validate reports it; the build stops on it)."""

    def __init__(self, issue):
        self.issue = issue
        super().__init__(format_text([issue]).splitlines()[0])  # escaped as every report line is


def load_synonyms(root: Path) -> dict[str, list[list[str]]]:
    """synonyms.yml: language → groups of terms that mean the same (an abbreviation and its
    expansion, spellings, the word in a neighbouring language)."""
    path = root / SYNONYMS_FILE
    if not os.path.lexists(path):
        return {}
    try:
        text = files.read_text(path, root, "settings")
    except files.Refused as refused:
        raise SynonymsError(refused.issue) from None
    document, issues = parse_text(text, SYNONYMS_FILE)
    if issues:
        raise SynonymsError(issues[0])
    data = document.data or {}

    def wrong(where: tuple, what: str) -> SynonymsError:
        line, column = document.position(where)
        return SynonymsError(messages.issue(SYNONYMS_FILE, line, column, "synonyms.shape", what=what))
    if not isinstance(data, dict):
        raise wrong((), "the file is not a mapping of languages")
    for lang, groups in data.items():
        if lang not in LANGUAGES:
            raise wrong((lang,), f"{str(lang)[:20]!r} is not a language of the site")
        if not isinstance(groups, list):
            raise wrong((lang,), f"{lang} is not a list of groups")
        for index, group in enumerate(groups):
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(term, str) and term.strip() for term in group):
                raise wrong((lang, index), f"group {index + 1} of {lang} is not a list of two or more terms")
    return data


def write(site: Path, root: Path) -> None:
    out = site / OUTPUT
    for lang, folder in LEMMA_LANGUAGES.items():
        target = out / "lemmas" / lang
        target.mkdir(parents=True, exist_ok=True)
        for key, table in lemma_tables(site_words(site, folder), lang).items():
            # Sorted: the words come from a set, and the same site should give the same bytes.
            (target / f"{key}.json").write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                                                encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    (out / "synonyms.json").write_text(json.dumps(load_synonyms(root), ensure_ascii=False, separators=(",", ":")),
                                       encoding="utf-8")
