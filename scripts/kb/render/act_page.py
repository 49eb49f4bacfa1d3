"""What an act's page gets besides what every page gets: the parallel text (a column per
language for every unit), the head's facts about the act and its translations, and the
schema.org description for machines. Page mixes this in."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

from markupsafe import Markup

from ..model import Criterion, LegalAct, Stage, Unit
from ..units import SEPARATOR
from . import labels, routes
from .columns import country
from .markup import escape_inline, foreign, inline

WORDING_NOTICE = {"official": None, "secondary": "note", "unconfirmed": "warning", "withheld": "warning"}  # act.schema.json: wording
UNIT_NUMBER = {"article": "{}", "paragraph": "{}.", "point": "{})", "letter": "{})"}  # as printed in Polish statutes
# Letters of points in the reader's alphabet, by position: a), b), c) are а), б), в) in Ukrainian.
LETTERS = {"uk": dict(zip("abcdefghijklmnopqrstuvwxyz", "абвгдеєжзиіїклмнопрстуфхц"))}


def letter_in(lang: str, level: str, number: str) -> str:
    """A unit's number as the reader's language writes it (only letters differ)."""
    return LETTERS.get(lang, {}).get(number, number) if level == "letter" else number


@dataclass(frozen=True)
class Half:
    """One language column of a unit in the parallel text."""

    column: str  # the language this column is for
    lang: str  # the language of what it shows (the reader's, for a 'not translated' notice)
    text: Markup
    visible: bool  # shown without JavaScript
    indexed: bool  # the page's own language: searchable
    state: str  # source, missing, machine, draft, reviewed, stale
    state_label: Markup | None  # in the reader's language; None where the notice says it


class ActPage:
    """Helpers for act pages; `self` is a Page."""

    unit_separator = SEPARATOR  # for the page's script, which finds a removed unit's ancestors

    def pair(self, act: LegalAct) -> tuple[str, str]:
        """The two columns shown without JavaScript: the original and the reader's language
        (on the original's own page, the first translation)."""
        return act.lang, self.lang if self.lang != act.lang else self.columns(act)[1]

    def columns(self, act: LegalAct) -> list[str]:
        """Every language, the original first: the order of the columns a reader can choose."""
        return [act.lang] + [lang for lang in self.languages if lang != act.lang]

    def column_choices(self, act: LegalAct, position: int) -> list[tuple]:
        """(language, its name, chosen now) for the select of one column."""
        chosen = self.pair(act)[position]
        return [(lang, self.html_label("language_name", lang), lang == chosen) for lang in self.columns(act)]

    def halves(self, act: LegalAct, unit: Unit) -> list[Half]:
        shown = self.pair(act)
        halves = []
        for column in self.columns(act):
            state = unit.state(column)
            if column in unit.text:
                lang, text = column, Markup(html.escape(unit.text[column]))
                label = self.html_label("translation_state", state)
            else:  # a notice, and the original under it for when the original's own column is not shown
                notice = labels.text(("act", "untranslated"), self.lang).format(language=self.language_name(column))
                lang, label = self.lang, None
                text = Markup(f'<span class="kb-untranslated">{html.escape(notice)}</span> <span class="kb-untranslated__original" '
                              f'{foreign(act.lang)}>{html.escape(unit.text[act.lang])}</span>')
            halves.append(Half(column, lang, text, column in shown, column == self.lang and column in unit.text, state, label))
        return halves

    def unit_anchor(self, unit: Unit) -> str | None:
        """The unit's id attribute; an article's anchor is its heading."""
        return None if unit.level == "article" else unit.id

    def unit_number(self, unit: Unit) -> Markup:
        return Markup(html.escape(UNIT_NUMBER[unit.level].format(letter_in(self.lang, unit.level, unit.number))))

    def unit_html_label(self, unit_id: str) -> Markup:
        return Markup(html.escape(self.provision_words(unit_id)))

    def citer_links(self, citers) -> Markup:
        """Records, criteria and method stages citing a unit, as HTML links (inside the act's raw HTML, where
        MkDocs does not rewrite links)."""
        links = []
        for citer in citers:
            if isinstance(citer, (Criterion, Stage)):
                record, anchor = citer.owner, f"#{citer.id}"
                name = self.part_name(citer, in_html=True)
            else:
                record, anchor, name = citer, "", self.html(citer.title, citer.lang)
            address = routes.relative_url(self.path, routes.record(record.kind, record.id, self.lang)) + anchor
            links.append(Markup(f'<a href="{html.escape(address)}">{name}</a>'))
        return Markup(", ").join(links)

    def translation_facts(self, act: LegalAct) -> list:
        """(language name, summary) of each translation the page shows: how many units are
        translated, in which states (recorded per article), when last and by whom."""
        facts = []
        for lang in self.columns(act)[1:]:
            if self.lang not in (act.lang, lang):
                continue
            counts = act.coverage(lang)
            translated = counts["total"] - counts.get("missing", 0)
            words = labels.text(("act", "coverage"), self.lang).format(translated=translated, total=counts["total"])
            states = [f"{labels.text(('translation_state', state), self.lang)}: {counts[state]}"
                      for state in ("reviewed", "draft", "machine", "stale") if counts.get(state)]
            if states:  # each unit counted in its article's state: translations are recorded per article
                words += " (" + ", ".join(states) + "; " + labels.text(("act", "per_article"), self.lang) + ")"
            entries = [article.translations[lang] for article in act.articles if article.translations[lang].translated]
            if entries:
                latest = max(entries, key=lambda entry: entry.translated)
                words += "; " + labels.text(("act", "translated_on"), self.lang).format(date=latest.translated)
                names = sorted({entry.translator for entry in entries if entry.translator})
                if names:
                    words += ", " + ", ".join(names)
            facts.append((self.language_name(lang), inline(words)))
        return facts

    def original(self, value: str, lang: str, url: str | None = None) -> Markup:
        """Text that exists only in one language (a journal reference), marked with it, linked where it has an address."""
        escaped = escape_inline(value)
        text = escaped if lang == self.lang else f'<span {foreign(lang)}>{escaped}</span>'
        return Markup(f"[{text}](<{url}>)" if url else text)

    def wording_notice(self, article) -> str | None:
        """The admonition an article gets for its wording's check level, None when it was checked officially."""
        return WORDING_NOTICE[article.wording]

    def legislation(self, act: LegalAct) -> Markup:
        """schema.org Legislation for the page head (front matter `jsonld`, written by the theme's
        main.html): the act as this page gives it; a translation says it has no legal force."""
        title, title_lang = self.pick(act.title, act.lang)
        data = {"@context": "https://schema.org", "@type": "Legislation", "name": {"@value": title, "@language": title_lang},
                "legislationIdentifier": act.eli or act.journal, "legislationDate": act.adopted, "inLanguage": self.lang,
                "legislationJurisdiction": self.renderer.kb.taxonomy["countries"][country(act)].label[self.lang]}
        if act.eli_url:
            data["sameAs"] = act.eli_url
        if act.consolidated_text.get("legal_status_date"):
            data["legislationDateVersion"] = act.consolidated_text["legal_status_date"]
        if self.lang != act.lang:
            data["legislationLegalValue"] = "https://schema.org/UnofficialLegalValue"
            data["translationOfWork"] = {"@type": "Legislation", "name": {"@value": act.title[act.lang], "@language": act.lang},
                                         "inLanguage": act.lang, "legislationIdentifier": act.eli or act.journal}
        return Markup("jsonld: " + json.dumps(data, ensure_ascii=False))
