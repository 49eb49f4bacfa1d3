"""Addresses that never break: a renamed record is reached from every old address in every
language, at the same anchor; anchors are the same in every language; the language switcher
keeps the anchor, in the full site and in the preview."""
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURE, make_project, open_tab, preview, run_kb
from kb import KINDS, LANGUAGES
from kb.site import Site
from kb.tools.bench import fetch
from kb.tools.browser import PREFIX, served
from test_serve import wait_for

# Old address → new one: each renamed record's former ids, and an anchor on its page.
RENAMES = {("practice", "ngo-pilot"): ("ngo-pilot-renamed", "actions"),
           ("standard", "quality"): ("quality-renamed", "trained-staff")}


def rename(root: Path, kind: str, old: str, new: str) -> None:
    """What an editor does: rename the file, change the id, keep the old one under aliases, and
    update the references to it."""
    folder = root / KINDS[kind]
    text = (folder / f"{old}.yml").read_text(encoding="utf-8")
    text = re.sub(rf"^id: {old}$", f"id: {new}", text, flags=re.M)
    text = re.sub(r"^aliases: \[(.*)\]$", rf"aliases: [\1, {old}]", text, flags=re.M) if "\naliases:" in text \
        else text.replace(f"id: {new}\n", f"id: {new}\naliases: [{old}]\n", 1)
    (folder / f"{old}.yml").unlink()
    (folder / f"{new}.yml").write_text(text, encoding="utf-8")
    for other in root.glob("*/*.yml"):
        body = other.read_text(encoding="utf-8")
        changed = re.sub(rf"(?<![\w-]){old}(?![\w-])", new, body) if other.name != f"{new}.yml" else body
        if changed != body:
            other.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("renamed"), FIXTURE)
    for (kind, old), (new, _) in RENAMES.items():
        rename(root, kind, old, new)
    code, out, err = run_kb("--root", root, "build")
    assert code == 0, out + err
    return root


def old_addresses():
    """Every former address of the renamed records: each former id (the alias the fixture already
    had, and the id before the rename) in every language, with the anchor."""
    for (kind, old), (new, anchor) in RENAMES.items():
        formers = [old] + (["old-ngo-pilot"] if old == "ngo-pilot" else [])
        for former in formers:
            for lang in LANGUAGES:
                yield lang, f"{PREFIX[lang]}{KINDS[kind]}/{former}/", f"{PREFIX[lang]}{KINDS[kind]}/{new}/", anchor


def test_old_addresses_are_static_redirects_with_canonical_and_a_visible_link(renamed_site):
    site = renamed_site / "site"
    url = Site.load(renamed_site).url
    for lang, old, new, _ in old_addresses():
        page = BeautifulSoup((site / old / "index.html").read_text(encoding="utf-8"), "html.parser")
        refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
        assert (site / old / refresh.split("url=", 1)[1]).resolve() == (site / new).resolve(), old
        assert page.select_one('link[rel="canonical"]')["href"] == url + new
        assert page.select_one('meta[name="robots"]')["content"] == "noindex"
        visible = [a for a in page.select(".md-content a[href]") if (site / old / a["href"]).resolve() == (site / new / "index.html").resolve()
                   or (site / old / a["href"]).resolve() == (site / new).resolve()]
        assert visible, f"{old} has no visible link to {new}"
        assert page.html["lang"] == lang


def test_every_old_address_leads_to_the_new_page_and_anchor_in_every_language(renamed_site, browser):
    with served(renamed_site / "site") as base:
        context = browser.new_context()
        try:
            for lang, old, new, anchor in old_addresses():
                tab = open_tab(context, f"{base}{old}#{anchor}")
                tab.wait_for_url(f"{base}{new}#{anchor}", timeout=10000)
                assert tab.locator(f"[id='{anchor}']").count() == 1
                assert tab.evaluate("document.documentElement.lang") == lang
                assert tab.problems == [], tab.problems
                tab.close()
        finally:
            context.close()
        # Without JavaScript the refresh still leads to the page (browsers drop the anchor there).
        context = browser.new_context(java_script_enabled=False)
        try:
            for lang, old, new, _ in old_addresses():
                tab = context.new_page()
                tab.goto(f"{base}{old}")
                tab.wait_for_url(f"{base}{new}", timeout=10000)
                tab.close()
        finally:
            context.close()


def test_the_old_id_is_free_for_nothing_else(renamed_site):
    """Once an alias, an id cannot come back as another record's id or alias (across kinds)."""
    from kb.build import check
    practice = renamed_site / "practices" / "ngo-pilot-renamed.yml"
    clash = renamed_site / "recommendations" / "ngo-pilot.yml"
    clash.write_text((renamed_site / "recommendations" / "ngo-law.yml").read_text(encoding="utf-8").replace("id: ngo-law", "id: ngo-pilot"),
                     encoding="utf-8")
    try:
        codes = {(issue.file, issue.code) for issue in check(renamed_site).issues}
        assert ("recommendations/ngo-pilot.yml", "record.duplicate_id") in codes
        assert (practice.relative_to(renamed_site).as_posix(), "record.duplicate_id") in codes
    finally:
        clash.unlink()


def test_anchors_are_the_same_in_every_language(bundled_site):
    """Every id on a record's page (sections, criteria, stages, provisions, the title) is the same
    in pl, uk and en: a link keeps working when the reader switches language."""
    site = bundled_site / "site"
    checked = 0
    for folder in [*KINDS.values(), "self-assessment", "handouts"]:
        for page in sorted((site / folder).glob("*/index.html")):
            ids = {}
            for lang in LANGUAGES:
                html = (site / PREFIX[lang] / folder / page.parent.name / "index.html").read_text(encoding="utf-8")
                content = BeautifulSoup(html, "html.parser").select_one(".md-content")
                ids[lang] = {element["id"] for element in content.select("[id]")}
            assert ids["pl"] == ids["uk"] == ids["en"], (folder, page.parent.name, ids["pl"] ^ ids["uk"], ids["pl"] ^ ids["en"])
            checked += 1
    assert checked >= 30


def test_language_switcher_keeps_the_anchor(browser, base_url):
    context = browser.new_context()
    try:
        tab = open_tab(context, base_url + "acts/pl-social-assistance-act/#art_16b__para_2")
        link = tab.locator('a.md-select__link[hreflang="uk"]')
        assert link.get_attribute("href").endswith("uk/acts/pl-social-assistance-act/#art_16b__para_2")
        link.evaluate("link => link.click()")  # the menu opens on hover; the link is what matters
        tab.wait_for_url(base_url + "uk/acts/pl-social-assistance-act/#art_16b__para_2")
        # A move to another anchor on the page is followed too.
        tab.evaluate("location.hash = 'art_17__para_1__point_1'")
        assert tab.locator('a.md-select__link[hreflang="en"]').get_attribute("href").endswith(
            "en/acts/pl-social-assistance-act/#art_17__para_1__point_1")
        assert tab.problems == [], tab.problems  # Material's selector no longer asks for a missing sitemap.xml
    finally:
        context.close()


def test_preview_language_switcher_keeps_path_and_anchor(tmp_path, browser):
    """The preview builds one language; its switcher offers the others on the published site, at
    the same page and anchor."""
    root = make_project(tmp_path / "kb", FIXTURE)
    with preview(root, "pl") as base:
        assert wait_for(lambda: "md-select__link" in fetch(base + "acts/sample-act/")), "the preview did not start"
        tab = browser.new_page()
        tab.goto(base + "acts/sample-act/#art_2__para_1", wait_until="load")
        published = Site.load(root).url
        hrefs = {lang: tab.locator(f'a.md-select__link[hreflang="{lang}"]').get_attribute("href") for lang in LANGUAGES}
        assert hrefs["uk"] == f"{published}uk/acts/sample-act/#art_2__para_1"
        assert hrefs["en"] == f"{published}en/acts/sample-act/#art_2__para_1"
        assert hrefs["pl"] == f"{base}acts/sample-act/#art_2__para_1"
        tab.close()
