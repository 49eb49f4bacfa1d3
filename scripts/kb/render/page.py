"""What a template gets for one page in one language: text in the reader's language (or the
original, marked with its lang), interface labels, taxonomy labels and links, all as safe Markup.
Templates only loop and branch over these; everything looked up or computed is done here."""
from __future__ import annotations

import html
from urllib.parse import quote

from markupsafe import Markup

from .. import LANGUAGES, TITLE_ANCHOR
from ..model import Provision, Record
from ..units import parse
from . import labels, routes
from .act_page import ActPage, letter_in
from .citation import CitationPage
from .handout_page import HandoutPage
from .method_page import MethodPage
from .standard_page import StandardPage
from .columns import FACETS, country, period_cell
from .markup import escape_html, escape_inline, foreign, markdown_to_html, search_front_matter, verbatim, yaml_string


QUOTE_LENGTH = 160
PART_WORDS = {"standard": "criterion", "method": "stage"}  # what a record's part is called (labels, field:)  # characters of a cited unit's text shown beside the citation


class Page(ActPage, StandardPage, MethodPage, CitationPage, HandoutPage):
    """For a template that writes Markdown (name.md.j2); HtmlPage for one that writes HTML."""
    languages = LANGUAGES  # every language of the site, also in a one-language preview
    escape = staticmethod(escape_inline)  # text safe in Markdown: HTML entities and Markdown backslashes

    def __init__(self, renderer, path: str, lang: str):
        self.renderer, self.path, self.lang = renderer, path, lang
        self.L = labels.escaped(lang, self.escape)  # interface text of this language, escaped, e.g. L.field.summary
        self.T = renderer.terms_in(lang, self.escape)  # taxonomy labels of this language, e.g. T.themes['ozps']

    # text -------------------------------------------------------------------------------
    def pick(self, text: dict | None, source: str | None) -> tuple[str, str]:
        """The text in the reader's language, or the source-language original: (text, its language).
        Without a source language (taxonomy terms have none), the first language the text has."""
        if not text:
            return "", self.lang
        if self.lang in text:
            return text[self.lang], self.lang
        if source not in text:
            source = next(lang for lang in LANGUAGES if lang in text)
        return text[source], source

    def label(self, *keys, **values) -> Markup:
        if values:
            return Markup(self.escape(labels.text(keys, self.lang).format(**values)))
        return Markup(self.escape(labels.text(keys, self.lang)))

    def words(self, *keys) -> str:
        """Interface text, unescaped, for code that formats it further."""
        return labels.text(keys, self.lang)

    def label_string(self, *keys) -> Markup:
        """Interface text as a front matter value."""
        return yaml_string(labels.text(keys, self.lang))

    def html_label(self, *keys) -> Markup:
        """Interface text inside a raw HTML block, where Markdown escapes would show: HTML escaping only."""
        cache = self.renderer.html_labels  # asked for many times per page, the same every time
        if (keys, self.lang) not in cache:
            cache[keys, self.lang] = Markup(html.escape(labels.text(keys, self.lang)))
        return cache[keys, self.lang]

    def month(self, year_month: str) -> Markup:
        """2026-11 → 'listopad 2026', 'листопад 2026', 'November 2026'."""
        year, month = year_month.split("-")
        return Markup(self.escape(f"{labels.text(('month', month), self.lang)} {year}"))

    def language_name(self, lang: str) -> str:
        return labels.text(("language_name", lang), self.lang)

    def text(self, text: dict | None, source: str) -> Markup:
        """Short text inline; a passage in another language carries its lang."""
        value, lang = self.pick(text, source)
        escaped = self.escape(value)
        return Markup(escaped if lang == self.lang else f'<span {foreign(lang)}>{escaped}</span>')

    def html(self, text: dict | None, source: str) -> Markup:
        """Short text inside a raw HTML block, where Markdown escapes would show: HTML escaping only."""
        value, lang = self.pick(text, source)
        escaped = html.escape(value)
        return Markup(escaped if lang == self.lang else f'<span {foreign(lang)}>{escaped}</span>')

    def number(self, value) -> Markup:
        """A number in the reader's convention: 170 660 in Polish and Ukrainian, 170,660 in English."""
        formatted = f"{value:,}".replace(",", "," if self.lang == "en" else "\u00a0")
        if self.lang != "en":
            formatted = formatted.replace(".", ",")
        return Markup(self.escape(formatted))

    def heading(self, text: dict, source: str) -> Markup:
        """A page's title as its h1, with the same anchor in every language (not a slug of the words)."""
        value, lang = self.pick(text, source)
        return Markup(escape_inline(value) + f' {{: #{TITLE_ANCHOR}' + ("" if lang == self.lang else f" {foreign(lang)}") + " }")

    def plain(self, value) -> Markup:
        return Markup(self.escape(str(value)))

    def block(self, text: dict | None, source: str) -> Markup:
        """Long Markdown text as a sanitised HTML block; untranslated text is marked and language-tagged."""
        value, lang = self.pick(text, source)
        if not value:
            return Markup("")
        body = markdown_to_html(value)
        if lang == self.lang:
            return verbatim(f'<div class="kb-text">\n{body}\n</div>')
        label = html.escape(labels.text(("notice", "original_text"), self.lang).format(source=self.language_name(lang)))
        return verbatim(f'<div class="kb-text kb-fallback" data-pagefind-ignore>\n<p class="kb-fallback-label">{label}</p>\n'
                        f'<div {foreign(lang)}>\n{body}\n</div>\n</div>')

    def string(self, text: dict | str | None, source: str | None = None) -> Markup:
        """Text as a front matter value."""
        return yaml_string(text if isinstance(text, str) or text is None else self.pick(text, source)[0])

    def search_meta(self, record: Record) -> Markup:
        """Front matter for the theme: index this page for search, with its kind and facets. Only
        when the record's text exists in the page's language: a Polish original shown under /uk/
        belongs to the Polish index, never to the Ukrainian one."""
        if self.lang not in record.title:
            return Markup("")
        return search_front_matter(labels.text(("kind", record.kind), self.lang),
                                   {facet.name: facet.values(record) for facet in FACETS})

    # links --------------------------------------------------------------------------------
    def href(self, target: str, anchor: str | None = None) -> str:
        return routes.link(self.path, target, anchor)

    def link(self, text: Markup, href: str) -> Markup:
        return Markup(f"[{text}]({href})")

    def record_href(self, record: Record, anchor: str | None = None) -> str:
        return self.href(routes.record(record.kind, record.id, self.lang), anchor)

    def record_link(self, record: Record) -> Markup:
        return self.link(self.text(record.title, record.lang), self.record_href(record))

    def record_links(self, records) -> list[Markup]:
        return [self.record_link(record) for record in records or []]

    def catalogue_href(self, kind: str) -> str:
        return self.href(routes.catalogue(kind, self.lang))

    def catalogue_url(self, kind: str) -> str:
        """For raw HTML, where MkDocs does not rewrite links."""
        return routes.relative_url(self.path, routes.catalogue(kind, self.lang))

    def term_href(self, vocabulary: str, term_id: str) -> str:
        return self.href(routes.term(vocabulary, term_id, self.lang))

    def term_index_href(self, vocabulary: str) -> str:
        return self.href(routes.term_index(vocabulary, self.lang))

    def terms(self, vocabulary: str, ids) -> Markup:
        """Term labels, each linked to its page."""
        return Markup(", ").join(self.link(self.T[vocabulary][term_id], self.term_href(vocabulary, term_id)) for term_id in ids)

    def country_name(self, record) -> Markup:
        return self.T["countries"][country(record)]

    def record_url(self, record: Record) -> str:
        """For raw HTML, where MkDocs does not rewrite links (by way of the root: see routes.rooted_url)."""
        return routes.rooted_url(self.path, routes.record(record.kind, record.id, self.lang))

    def record_anchor(self, record: Record) -> Markup:
        """A link to a record inside raw HTML."""
        return Markup('<a href="{}">{}</a>').format(self.record_url(record), self.html(record.title, record.lang))

    def term_html(self, vocabulary: str, term_id: str) -> Markup:
        """A term's label inside raw HTML (HTML escaping only)."""
        cache = self.renderer.html_labels
        key = (("term", vocabulary, term_id), self.lang)
        if key not in cache:
            cache[key] = self.html(self.renderer.kb.taxonomy[vocabulary][term_id].label, None)
        return cache[key]

    def terms_html(self, vocabulary: str, ids) -> Markup:
        return Markup(", ").join(self.term_html(vocabulary, term_id) for term_id in ids)

    def browse_terms(self, kind: str, facet: str, vocabulary: str, ids) -> Markup:
        """Term labels, each linked to the catalogue narrowed to it (its facet value's page)."""
        return Markup(", ").join(self.link(self.T[vocabulary][term_id], self.href(routes.browse(kind, facet, term_id, self.lang)))
                                 for term_id in ids)

    def place_links(self, record: Record) -> Markup:
        """A practice's places, each opening the catalogue filtered by its name (raw HTML: MkDocs
        would take the catalogue's state after # for a missing anchor)."""
        catalogue = routes.relative_url(self.path, routes.catalogue(record.kind, self.lang))
        return Markup(", ").join(Markup('<a href="{}#q={}">{}</a>').format(catalogue, quote(place), self.plain(place))
                                 for place in record.location["places"])

    def period_text(self, record: Record) -> Markup:
        """2017, 2013 – 2014, 2020 – ongoing."""
        return period_cell(self, record)

    def similar(self, practice: Record) -> list:
        """Similar practices, each with the themes and target groups it shares with this one."""
        return [(other, [self.T[vocabulary][term_id] for vocabulary in ("themes", "target_groups")
                         for term_id in getattr(other, vocabulary) if term_id in getattr(practice, vocabulary)])
                for other in self.renderer.kb.similar_practices(practice)]

    def term_list(self, vocabulary: str, ids) -> Markup:
        return Markup(", ").join(self.T[vocabulary][term_id] for term_id in ids)

    # references ---------------------------------------------------------------------------
    def part_name(self, part, in_html: bool = False) -> Markup:
        """'Standard title: Criterion 3' or 'Method title: Stage 2', escaped for Markdown, or for raw
        HTML where Markdown escapes would show."""
        owner, word = part.owner, PART_WORDS[part.owner.kind]
        title = (self.html if in_html else self.text)(owner.title, owner.lang)
        word = self.html_label("field", word) if in_html else self.label("field", word)
        return Markup(f"{title}: {word} {part.number}")

    def part_link(self, part) -> Markup:
        """A link to a criterion of a standard or a stage of a method, at its anchor."""
        return self.link(self.part_name(part), self.record_href(part.owner, part.id))

    def provision_words(self, unit_id: str) -> str:
        """'Art. 17 ust. 1 pkt 2' in the reader's language, built from the unit identifier."""
        return " ".join(self._unit_words(level, number) for level, number in parse(unit_id))

    def _unit_words(self, level: str, number: str) -> str:
        return f"{labels.text(('unit', level), self.lang)} {letter_in(self.lang, level, number)}"

    def provision_label(self, unit_id: str) -> Markup:
        return Markup(self.escape(self.provision_words(unit_id)))

    def provision_link(self, provision: Provision) -> Markup:
        """The act and unit, linked, and the start of the unit's text, so a reader sees what is cited."""
        act = provision.act
        name = self.text(act.short_title or act.title, act.lang)
        link = self.link(Markup(f"{name}, {self.provision_label(provision.unit_id)}"), self.record_href(act, provision.unit_id))
        quoted_unit = next((unit for unit in provision.unit.walk() if unit.text), None)  # an article: its first paragraph
        if quoted_unit is None:
            return link
        quote, lang = self.pick(quoted_unit.text, act.lang)
        if len(quote) > QUOTE_LENGTH:
            quote = quote[:QUOTE_LENGTH].rsplit(" ", 1)[0] + " …"
        quoted = self.text({lang: quote}, lang)
        if quoted_unit is not provision.unit:  # an article without text of its own: its first unit, numbered
            quoted = Markup(f"{self.unit_number(quoted_unit)} {quoted}")
        return Markup(f'{link}: <q class="kb-quote" data-pagefind-ignore="all">{quoted}</q>')  # the act's words, not this record's

    def provision_links(self, provisions) -> list[Markup]:
        return [self.provision_link(provision) for provision in provisions or []]

    def unit_label(self, level: str, number: str) -> Markup:
        return Markup(self.escape(self._unit_words(level, number)))

    # translation status -------------------------------------------------------------------
    def notices(self, record: Record) -> list[Markup]:
        """What the reader should know about the language version they are reading. An act's
        translations are unofficial: said on every language version, the original's included,
        where they are shown beside it."""
        messages = self.translation_notices(record, record.translations)
        if record.kind == "act" and record.translations[self.lang].status != "source":
            messages.append(self.label("notice", "unofficial", source=self.language_name(record.lang)))
        elif record.kind == "act":
            messages.append(self.label("notice", "unofficial_beside", source=self.language_name(record.lang)))
        return messages

    def translation_notices(self, record: Record, translations: dict) -> list[Markup]:
        """Missing, outdated, machine or draft: the state of one language version."""
        state = translations[self.lang].state
        if state in labels.NOTICE_STATES:
            return [self.label("notice", state, source=self.language_name(record.lang))]
        return []

    def unit_notices(self, record: Record, translations: dict) -> list[Markup]:
        """Notices for one article, only where it stands differently from the record as a whole."""
        if translations[self.lang].state == record.translations[self.lang].state:
            return []
        return self.translation_notices(record, translations)

    def timeline(self, recommendation) -> list:
        """A recommendation's history, oldest step first (dates may be a year, a month or a day)."""
        return sorted(recommendation.history, key=lambda step: step["date"])

    def translation_state(self, record) -> Markup:
        return self.L["translation_state"][record.translations[self.lang].state]


class HtmlPage(Page):
    """For a template that writes the page's whole body as HTML (name.html.j2): MkDocs passes it
    through without Python-Markdown, which was most of its time on record pages. Text is
    HTML-escaped only, links are the built pages' addresses, and headings carry the anchor and
    permalink that Python-Markdown's toc extension would give them (the kb plugin reads the table
    of contents back from them)."""
    escape = staticmethod(escape_html)

    def href(self, target: str, anchor: str | None = None) -> str:
        return routes.relative_url(self.path, target) + (f"#{anchor}" if anchor else "")

    def link(self, text: Markup, href: str) -> Markup:
        return Markup('<a href="{}">{}</a>').format(href, text)

    def heading(self, text: dict, source: str) -> Markup:
        value, lang = self.pick(text, source)
        return self.h(1, Markup(self.escape(value)), TITLE_ANCHOR, "" if lang == self.lang else foreign(lang))

    def h(self, level: int, text: Markup, anchor: str, attributes: str = "") -> Markup:
        """A heading with its anchor and permalink, as Python-Markdown's toc extension writes it."""
        return Markup('<h{0} id="{1}"{2}>{3}<a class="headerlink" href="#{1}" title="{4}">&para;</a></h{0}>').format(
            level, anchor, Markup(f" {attributes}" if attributes else ""), text, self.renderer.site.permalink_title)
