"""What is new, for people and for machines: an Atom feed per language and a what-changed page,
both ordered by the records' own dates (published, updated), never by git history; and the
sitemap, with every page's language versions (hreflang) and x-default."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from .. import DEFAULT_LANGUAGE, LANGUAGES
from . import labels, routes
from .markup import plain_text

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHANGES_SIZE = 200  # records on the what-changed page (the feed holds them all, one entry each)
ET.register_namespace("xhtml", XHTML)


def _xml(element, namespace: str) -> str:
    """An XML document whose own elements carry no prefix (ElementTree keeps one registry of
    prefixes for the process, so the default namespace is named just before writing)."""
    ET.register_namespace("", namespace)
    ET.indent(element)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode") + "\n"


def by_date(records) -> list:
    """Newest first by the record's last update, then its first publication; ties by kind and id."""
    records = sorted(records, key=lambda record: (record.kind, record.id))
    return sorted(records, key=lambda record: (record.updated, first_published(record)), reverse=True)


def first_published(record) -> str:
    return record.published or record.updated


def is_new(record) -> bool:
    """Published and not changed since: the feed and the page call it new, otherwise updated."""
    return first_published(record) == record.updated


def entry_id(record, lang: str) -> str:
    """Stable for the life of the record: from its kind and immutable id, not from its address."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kb:{record.kind}/{record.id}/{lang}").urn


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def feed_files(renderer) -> dict:
    files = {}
    records = by_date(renderer.kb.all_records())
    for lang in renderer.languages:
        page = renderer.page(routes.home(lang), lang)
        feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
        ET.SubElement(feed, f"{{{ATOM}}}id").text = uuid.uuid5(uuid.NAMESPACE_URL, f"kb:feed/{lang}").urn
        ET.SubElement(feed, f"{{{ATOM}}}title").text = page.site_name()
        ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = labels.text(("changes", "feed_subtitle"), lang)
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml",
                                                "href": page.address(routes.feed(lang))})
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page.address()})
        ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(records[0].updated if records else "1970-01-01")
        author = ET.SubElement(feed, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = page.site_name()
        for record in records:
            entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
            title, title_lang = page.pick(record.title, record.lang)
            summary, summary_lang = page.pick(record.summary, record.lang)
            ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(record, lang)
            ET.SubElement(entry, f"{{{ATOM}}}title", {XML_LANG: title_lang}).text = title
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page.record_address(record)})
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(first_published(record))
            ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(record.updated)
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": record.kind, "label": labels.text(("kind", record.kind), lang)})
            state = "new" if is_new(record) else "updated"
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": state, "label": labels.text(("changes", state), lang)})
            if summary:
                ET.SubElement(entry, f"{{{ATOM}}}summary", {XML_LANG: summary_lang}).text = plain_text(summary)
        files[routes.feed(lang)] = _xml(feed, ATOM)
    return files


def changes_pages(renderer) -> dict:
    """Records by month of their last update, newest first, each marked new or updated."""
    records = by_date(renderer.kb.all_records())[:CHANGES_SIZE]
    months: dict = {}
    for record in records:
        months.setdefault(record.updated[:7], []).append(record)
    files = {}
    for lang in renderer.languages:
        path = routes.changes(lang)
        files[path] = renderer.template("changes.md.j2", path, lang, months=list(months.items()), feed=routes.feed(lang),
                                        is_new=is_new, shown=len(records), total=sum(1 for _ in renderer.kb.all_records()))
    return files


def sitemap_files(renderer, pages: dict) -> dict:
    """sitemap.xml: every page of every language with its versions in the others and x-default
    (the default language's); each other language's own sitemap lists its pages. Former ids'
    redirecting pages are left out; a record's page has its last update as lastmod."""
    redirects, updated = set(), {}
    for record in renderer.kb.all_records():
        for lang in renderer.languages:
            updated[routes.record(record.kind, record.id, lang)] = record.updated
            redirects.update(routes.record(record.kind, alias, lang) for alias in record.aliases)
    versions: dict = {}  # page name without language → {lang: source}
    for source in pages:
        if source.endswith(".md") and source not in redirects:
            stem, lang, _ = source.rsplit(".", 2)
            versions.setdefault(stem, {})[lang] = source
    files = {}
    for lang in renderer.languages:
        urlset = ET.Element(f"{{{SITEMAP}}}urlset")
        for stem, sources in sorted(versions.items()):
            for shown in (LANGUAGES if lang == DEFAULT_LANGUAGE else (lang,)):
                if shown in sources:
                    url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
                    ET.SubElement(url, f"{{{SITEMAP}}}loc").text = routes.address(renderer.site.url, sources[shown])
                    if sources[shown] in updated:
                        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = updated[sources[shown]]
                    alternates = [(other, sources[other]) for other in LANGUAGES if other in sources]
                    if DEFAULT_LANGUAGE in sources:
                        alternates.append(("x-default", sources[DEFAULT_LANGUAGE]))
                    for hreflang, source in alternates:
                        ET.SubElement(url, f"{{{XHTML}}}link", {"rel": "alternate", "hreflang": hreflang,
                                                               "href": routes.address(renderer.site.url, source)})
        files[routes.sitemap(lang)] = _xml(urlset, SITEMAP)
    return files
