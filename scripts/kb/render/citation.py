"""What a page offers to those who cite, print or link to it: its permanent address, a citation
in the reader's language (text, BibTeX, CSL-JSON, citation_* tags) and a QR code for print.
Every address is built from the record's immutable id (routes.address), never from its title."""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import segno
from markupsafe import Markup

from .. import LANGUAGE_NAMES
from . import labels, routes

# BibTeX's special characters; biblatex reads the rest of UTF-8 as it is.
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def bibtex_value(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES.get(match.group(1), "\\" + match.group(1)), " ".join(text.split()))


class CitationPage:
    """Mixed into Page: needs self.renderer.site, self.path, self.lang, self.pick."""

    def address(self, source: str | None = None) -> str:
        """The permanent, absolute address of this page (or of another page's source path)."""
        return routes.address(self.renderer.site.url, source or self.path)

    def file_url(self, source: str) -> str:
        """A file of the site (feed.uk.xml), relative to this page, for raw HTML."""
        return "../" * routes.url(self.path).count("/") + routes.url(source)

    def site_name(self) -> str:
        return self.renderer.site.names[self.lang]

    def record_address(self, record) -> str:
        return self.address(routes.record(record.kind, record.id, self.lang))

    def citation(self, record) -> dict:
        """The facts of a citation of this record's page in this language."""
        title, title_lang = self.pick(record.title, record.lang)
        published = record.published or record.updated
        return {"id": f"kb-{record.kind}-{record.id}-{self.lang}", "title": " ".join(title.split()),
                "title_lang": title_lang, "publisher": self.site_name(), "year": published[:4],
                "published": published, "date": record.updated, "url": self.record_address(record), "lang": self.lang}

    def citation_html(self, record) -> Markup:
        """The citation as one line of HTML, the title marked with its language when it is not the page's."""
        facts = self.citation(record)
        title = html.escape(facts["title"])
        if facts["title_lang"] != self.lang:
            title = f'<span lang="{facts["title_lang"]}">{title}</span>'
        text = html.escape(labels.text(("cite", "format"), self.lang))
        for key, value in facts.items():
            text = text.replace("{" + key + "}", title if key == "title" else html.escape(value))
        return Markup(text)

    def citation_meta(self, record) -> Markup:
        """Front matter the theme turns into <meta name="citation_*"> tags (JSON is YAML)."""
        facts = self.citation(record)
        tags = {"title": facts["title"], "author": facts["publisher"], "publisher": facts["publisher"],
                "publication_date": facts["published"].replace("-", "/"),
                "language": facts["lang"],
                "fulltext_html_url": facts["url"],
                "keywords": [str(self.T["themes"][theme]) for theme in getattr(record, "themes", None) or []]}
        return Markup("citation: " + json.dumps(tags, ensure_ascii=False))

    def print_footer(self, record) -> Markup:
        """Front matter for the foot of every printed page: the site, the permanent address and the
        version date, as a CSS string (main.html puts it in an @page rule)."""
        words = f"{self.site_name()} · {self.record_address(record)} · {labels.text(('cite', 'version'), self.lang)} {record.updated}"
        css = "".join(f"\\{ord(character):x} " if character in '\\"<>&' else character for character in words)
        return Markup("print_footer: " + json.dumps(f'"{css}"', ensure_ascii=False))

    def bibtex(self, record) -> str:
        facts = self.citation(record)
        fields = {"title": facts["title"], "author": "{" + bibtex_value(facts["publisher"]) + "}",
                  "organization": facts["publisher"], "year": facts["year"], "date": facts["published"],
                  "version": facts["date"], "url": facts["url"], "langid": LANGUAGE_NAMES[self.lang].lower()}
        lines = [f"  {name} = {{{value if name in ('author', 'url') else bibtex_value(value)}}}" for name, value in fields.items()]
        return f"@online{{{facts['id']},\n" + ",\n".join(lines) + "\n}\n"

    def csl_json(self, record) -> str:
        facts = self.citation(record)
        year, month, day = (int(part) for part in facts["published"].split("-"))
        entry = {"id": facts["id"], "type": "webpage", "title": facts["title"], "author": [{"literal": facts["publisher"]}],
                 "publisher": facts["publisher"], "container-title": facts["publisher"],
                 "issued": {"date-parts": [[year, month, day]]}, "version": facts["date"],
                 "URL": facts["url"], "language": facts["lang"]}
        return json.dumps([entry], ensure_ascii=False, indent=2) + "\n"

    def download_url(self, extension: str) -> str:
        """A file beside this page (cite.bib), relative to the page's address, for raw HTML."""
        return routes.download(self.path, extension).rsplit("/", 1)[-1].replace(f".{self.lang}.", ".")

    def qr(self, address: str) -> Markup:
        """The QR code of an address as inline SVG, drawn at build time (segno): printed, never fetched."""
        title = html.escape(labels.text(("cite", "qr"), self.lang).format(address=address))
        return Markup(qr_svg(address).replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1))


# Any of the eight masks makes a valid code; letting segno score all eight for the best one took
# 4.1 ms a code against 1.1 ms, most of the QR codes' share of a build. A test decodes codes made
# with it (zbarimg), and the QR codes' squares are large for phones: version 3–5 at print size.
QR_MASK = 2


@lru_cache(maxsize=1 << 16)
def qr_svg(address: str) -> str:
    """Drawn once per address: a record's page and its handout print the same code."""
    return qr_code(address).svg_inline(scale=1, border=2, svgclass="kb-qr", lineclass=None, omitsize=True)


def qr_code(address: str) -> segno.QRCode:
    return segno.make(address, error="m", mask=QR_MASK)
