"""Acceptance: the bundled knowledge base built with `mkdocs build --strict`, checked from its HTML."""
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from kb import DEFAULT_LANGUAGE, KINDS, LANGUAGES
from kb.load import load_tree
from kb.render.routes import URL_PREFIX as PREFIX


def html(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def record_ids(root: Path):
    tree, _ = load_tree(root)
    return [(kind, document.data["id"]) for kind, documents in tree.records.items() for document in documents]


def resolve(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The file a relative link on `page` leads to, and its fragment."""
    parts = urlsplit(href)
    base = "" if parts.path.startswith("/") else posixpath.dirname(page)  # the 404 page links from the root
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/"))) if parts.path else page
    path = site / target
    if path.is_dir() or href.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site / "site"


def test_every_record_has_a_page_in_every_language_with_the_right_lang(bundled_site, site):
    records = record_ids(bundled_site)
    assert len(records) >= 14
    for kind, record_id in records:
        for lang in LANGUAGES:
            page = html(site, f"{PREFIX[lang]}{KINDS[kind]}/{record_id}/index.html")
            assert page.html["lang"] == lang, (kind, record_id, lang)


def test_language_switcher_leads_to_the_same_record(bundled_site, site):
    for kind, record_id in record_ids(bundled_site):
        for lang in LANGUAGES:
            relative = f"{PREFIX[lang]}{KINDS[kind]}/{record_id}/index.html"
            links = html(site, relative).select("a.md-select__link[hreflang]")
            assert sorted(link["hreflang"] for link in links) == sorted(LANGUAGES)
            for link in links:
                target, _ = resolve(site, relative, link["href"])
                assert target == site / f"{PREFIX[link['hreflang']]}{KINDS[kind]}/{record_id}/index.html"
                assert html(site, target.relative_to(site).as_posix()).html["lang"] == link["hreflang"]


def language_of_page(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return next((lang for lang in LANGUAGES if PREFIX[lang] and relative.startswith(PREFIX[lang])), DEFAULT_LANGUAGE)


def test_languages_built_apart_make_one_site(site):
    """Each language is built by MkDocs on its own and merged: on every page of every language the
    header leads to that language's home page and the switcher to the same page in each language
    (a home page to the other homes); the 404 page is the default language's."""
    assert html(site, "404.html").html["lang"] == DEFAULT_LANGUAGE
    pages = [page for page in sorted(site.rglob("index.html")) if "http-equiv" not in page.read_text(encoding="utf-8")[:3000]]
    assert len(pages) > 300
    for page in pages:
        relative, lang = page.relative_to(site).as_posix(), language_of_page(site, page)
        document = html(site, relative)
        assert document.html["lang"] == lang, relative
        assert resolve(site, relative, document.select_one("a.md-logo")["href"])[0] == site / PREFIX[lang] / "index.html", relative
        below = relative[len(PREFIX[lang]):]
        for link in document.select("a.md-select__link[hreflang]"):
            target = site / PREFIX[link["hreflang"]] / ("index.html" if below == "index.html" else below)
            assert resolve(site, relative, link["href"])[0] == target, (relative, link["href"])


def test_catalogues_list_every_record(bundled_site, site):
    for lang in LANGUAGES:
        for kind, folder in KINDS.items():
            catalogue = f"{PREFIX[lang]}{folder}/index.html"
            linked = {resolve(site, catalogue, a["href"])[0] for a in html(site, catalogue).select(".kb-card__title a[href]")}
            for record_kind, record_id in record_ids(bundled_site):
                if record_kind == kind:
                    assert site / f"{PREFIX[lang]}{folder}/{record_id}/index.html" in linked, (catalogue, record_id)


def test_no_internal_link_is_broken(site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    ids: dict = {}
    broken = []
    for page in pages:
        for anchor in html(site, page).select("a[href]"):
            href = anchor["href"]
            if urlsplit(href).scheme or href.startswith(("//", "mailto:")):
                continue
            target, fragment = resolve(site, page, href)
            if not target.exists():
                broken.append((page, href))
            elif fragment and "=" not in fragment:  # a catalogue's or a checklist's state, not an anchor
                key = target.relative_to(site).as_posix()
                if key not in ids:
                    ids[key] = {tag["id"] for tag in html(site, key).select("[id]")}
                if fragment not in ids[key]:
                    broken.append((page, href))
    assert broken == []


def test_trainers_can_link_to_criteria_and_provisions(site):
    standard = html(site, "en/standards/family-friendly-municipality/index.html")
    criteria = standard.select("h3[id]")
    assert len(criteria) >= 8 and all(h3["id"] for h3 in criteria)
    act = html(site, "uk/acts/pl-social-assistance-act/index.html")
    for unit in ("art_16a", "art_16b", "art_17__para_1__point_1", "art_17__para_1__point_2", "art_25", "art_45"):
        assert act.select_one(f"#{unit}"), unit
    assert "Неофіційний переклад" in act.get_text()


def test_navigation_holds_sections_not_records(bundled_site, site):
    page = html(site, "practices/ozps-ngo-cooperation-lubelskie/index.html")
    nav_links = {a["href"] for a in page.select("nav.md-nav--primary a[href]")}
    record_pages = {f"{KINDS[kind]}/{record_id}/" for kind, record_id in record_ids(bundled_site)}
    assert not any(href.rstrip("/").endswith(tuple(r.rstrip("/") for r in record_pages)) for href in nav_links)
    sections = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert len(page.select("nav.md-nav--primary > ul > li")) == len(sections) == 16


def test_no_script_or_event_handler_comes_from_records(site):
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for block in soup.select(".kb-text, .kb-provisions"):
            assert not block.select("script, iframe, object, embed, style")
            assert not [attr for tag in block.find_all(True) for attr in tag.attrs if attr.startswith("on")]
            assert not [a for a in block.select("a[href]") if a["href"].strip().lower().startswith(("javascript:", "data:"))]


def test_pages_make_no_third_party_requests(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page


def test_contributors_guide_field_reference_is_generated_from_the_schemas(site):
    import json
    from conftest import ROOT
    schema = json.loads((ROOT / "schemas" / "standard.schema.json").read_text(encoding="utf-8"))
    level = schema["properties"]["criteria"]["items"]["properties"]["level"]["description"]
    for lang in ("pl", "uk"):
        guide = html(site, f"{PREFIX[lang]}contributing/index.html")
        english = guide.select('div[lang="en"] table')
        assert len(english) == len(KINDS)  # one table per record kind, marked as an English passage
        assert level in guide.get_text()
    assert level in html(site, "en/contributing/index.html").get_text()
