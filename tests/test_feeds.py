"""What is new: the Atom feeds, the what-changed page and the sitemap, from the records' own dates."""
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import open_tab
from kb import DEFAULT_LANGUAGE, KINDS, LANGUAGES
from kb.build import check
from kb.render.feeds import entry_id
from kb.site import Site
from kb.tools.browser import PREFIX

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def records(bundled_site):
    return list(check(bundled_site).kb.all_records())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feed_has_one_entry_per_record_with_stable_ids_and_valid_dates(bundled_site, records, lang):
    site = bundled_site / "site"
    feed = feedparser.parse((site / PREFIX[lang] / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.language == lang
    url = Site.load(bundled_site).url
    assert feed.feed.links[0].href == f"{url}{PREFIX[lang]}feed.xml"
    assert len(feed.entries) == len(records)
    by_id = {entry.id: entry for entry in feed.entries}
    assert set(by_id) == {entry_id(record, lang) for record in records}  # stable: kind and id, not the address
    for record in records:
        entry = by_id[entry_id(record, lang)]
        assert time.strftime("%Y-%m-%d", entry.updated_parsed) == record.updated
        assert time.strftime("%Y-%m-%d", entry.published_parsed) == (record.published or record.updated)
        assert entry.link == f"{url}{PREFIX[lang]}{KINDS[record.kind]}/{record.id}/"
        assert (site / entry.link[len(url):] / "index.html").exists()
    # Ordered by the records' own dates, newest first.
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_entry_ids_do_not_depend_on_the_address_or_title():
    class Record:
        kind, id = "practice", "ngo-pilot"
    assert entry_id(Record, "uk") == entry_id(Record, "uk") != entry_id(Record, "en")
    assert entry_id(Record, "uk").startswith("urn:uuid:")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_what_changed_page_lists_every_record_under_its_month(bundled_site, records, lang):
    page = BeautifulSoup((bundled_site / "site" / PREFIX[lang] / "changes" / "index.html").read_text(encoding="utf-8"), "html.parser")
    months = [heading["id"] for heading in page.select(".md-content h2[id^=month-]")]
    assert months == sorted(set(months), reverse=True)
    items = page.select(".md-content h2[id^=month-] ~ ul li")
    assert len(items) == len(records)
    assert page.select_one('a[type="application/atom+xml"]')["href"].endswith("feed.xml")


def test_sitemap_lists_every_page_with_its_languages_and_x_default(bundled_site):
    site = bundled_site / "site"
    url = Site.load(bundled_site).url
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = root.findall(f"{SITEMAP}url")
    assert len(entries) > 150
    locations = set()
    for entry in entries:
        location = entry.find(f"{SITEMAP}loc").text
        locations.add(location)
        assert location.startswith(url)
        page = site / location[len(url):] / "index.html"
        assert page.exists(), location
        assert 'http-equiv="refresh"' not in page.read_text(encoding="utf-8")  # former ids' pages are left out
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
        assert set(alternates) == {*LANGUAGES, "x-default"}, location
        assert alternates["x-default"] == alternates[DEFAULT_LANGUAGE]
        assert location in alternates.values()
        for href in alternates.values():
            assert (site / href[len(url):] / "index.html").exists(), href
    # Every page of the site is listed (but former ids' redirects and the 404 page).
    pages = {url + path.parent.relative_to(site).as_posix() + "/" for path in site.rglob("index.html")
             if 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")}
    assert {location.replace(url + "./", url) for location in locations} == {page.replace(url + "./", url) for page in pages}
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE:  # each language's own sitemap: its pages
            own = ET.parse(site / lang / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
            assert own and all(entry.find(f"{SITEMAP}loc").text.startswith(f"{url}{lang}/") for entry in own)


def test_record_pages_have_their_update_as_lastmod(bundled_site, records):
    root = ET.parse(bundled_site / "site" / "sitemap.xml").getroot()
    lastmod = {entry.find(f"{SITEMAP}loc").text: entry.find(f"{SITEMAP}lastmod") for entry in root.findall(f"{SITEMAP}url")}
    url = Site.load(bundled_site).url
    for record in records:
        assert lastmod[f"{url}uk/{KINDS[record.kind]}/{record.id}/"].text == record.updated


@pytest.mark.parametrize("path", ["", "uk/acts/pl-social-assistance-act/", "en/practices/ozps-ngo-cooperation-lubelskie/",
                                  "uk/changes/", "en/handouts/ozps-ngo-cooperation-lubelskie/"])
def test_pages_ask_for_nothing_that_is_missing(browser, base_url, path):
    """No 404 in the console: Material's selector used to ask for sitemap.xml beside every page."""
    context = browser.new_context()
    try:
        tab = open_tab(context, base_url + path)
        tab.wait_for_timeout(500)  # the selector's sitemap request comes after load
        assert tab.problems == [], tab.problems
    finally:
        context.close()
