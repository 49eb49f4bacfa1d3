"""Layout in headless Chromium on the bundled site: nothing needs horizontal page scrolling from
320 to 1920 px, a table wider than its container sits in a scroll region the keyboard can reach,
the header's site name is not cut off at 360 px; the home page leads by need; every page has
the footer with licences, contact, repository and "suggest a change"."""
import pytest
from bs4 import BeautifulSoup

from kb import KINDS
from kb.render.routes import URL_PREFIX as PREFIX

WIDTHS = [320, 360, 768, 1280, 1920]
PAGES = ["", "practices/", "practices/#theme=family-policy&view=table", "standards/", "recommendations/", "acts/",
         "methods/", "practices/ozps-ngo-cooperation-lubelskie/", "standards/family-friendly-municipality/",
         "acts/pl-social-assistance-act/", "self-assessment/social-work-service-standard/",
         "methods/local-social-problems-strategy/", "browse/practices-theme-family-policy/", "themes/family-policy/",
         "glossary/", "indicators/", "search/", "about/"]

# Wider than the page, or a table wider than its container outside a focusable scroll region.
OVERFLOW = """() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth) { problems.push('page ' + document.documentElement.scrollWidth); }
  for (const table of document.querySelectorAll('.md-content table')) {
    const box = table.parentElement;
    if (table.getBoundingClientRect().width > box.getBoundingClientRect().width + 1) {
      const region = table.closest('.md-typeset__scrollwrap, .kb-catalogue__table');
      if (!region || region.tabIndex < 0) { problems.push('table ' + (table.className || table.parentElement.className)); }
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("lang", PREFIX)
@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_cut_off_or_scrolls_sideways(browser, base_url, width, lang):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        found = {}
        for path in PAGES:
            page.goto(base_url + PREFIX[lang] + path, wait_until="load")
            problems = page.evaluate(OVERFLOW)
            if problems:
                found[path] = problems
        assert found == {}
    finally:
        page.close()


@pytest.mark.parametrize("lang", PREFIX)
def test_the_site_name_fits_the_header_at_phone_width(browser, base_url, lang):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(base_url + PREFIX[lang], wait_until="load")
        name = page.locator(".md-header__topic:first-child .md-ellipsis")
        assert name.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1")
        box = name.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    finally:
        page.close()


def html(site, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def test_the_home_page_leads_by_need_with_counts_and_cards(bundled_site):
    site = bundled_site / "site"
    counts = {kind: len(list((bundled_site / folder).glob("*.yml"))) for kind, folder in KINDS.items()}
    for lang in PREFIX:
        home = html(site, f"{PREFIX[lang]}index.html")
        assert home.select_one('form[role="search"] input[name="q"]')
        needs = home.select(".kb-needs > li")
        assert len(needs) == 6
        targets = [need.select_one("a")["href"] for need in needs]
        assert targets[:5] == ["practices/", "standards/", "acts/", "methods/", "recommendations/"]
        assert targets[5] == "data/"  # "download the data": the open data page
        assert all(need.select_one(".kb-needs__what").get_text(strip=True) for need in needs)
        assert str(counts["practice"]) in needs[0].select_one(".kb-needs__count").get_text()
        assert str(sum(counts.values())) in needs[5].select_one(".kb-needs__count").get_text()
        featured = home.find(id="featured").find_next("ol").select(".kb-card")
        assert {card["data-kb-record"] for card in featured} == {
            "ozps-ngo-cooperation-lubelskie", "social-services-in-hromadas", "family-friendly-municipality-certification"}
        latest = home.find(id="latest").find_next("ol").select(".kb-card")
        assert len(latest) == 6
        for card in featured + latest:
            assert card.select_one(".kb-card__kind").get_text(strip=True)
            assert card.select_one('[data-kb-column="themes"] dd').get_text(strip=True)


def test_every_page_has_the_footer_and_suggest_a_change_leads_to_its_source(bundled_site):
    site = bundled_site / "site"
    pages = list(site.rglob("index.html"))
    assert len(pages) > 100
    for path in pages:
        footer = html(site, path.relative_to(site).as_posix()).select_one("footer .kb-footer")
        assert footer is not None, path
        hrefs = [a["href"] for a in footer.select("a[href]")]
        assert any("creativecommons.org/licenses/by/4.0" in href for href in hrefs), path
        assert any(href.endswith("/blob/main/LICENSE") for href in hrefs)
        assert any(href.endswith("/issues") for href in hrefs)  # the contact
        assert any("/edit/main/" in href or "/issues/new?" in href for href in hrefs)
    practice = html(site, "uk/practices/ozps-ngo-cooperation-lubelskie/index.html").select_one("footer .kb-footer")
    assert practice.find("a", string="Запропонувати зміну цієї сторінки")["href"].endswith(
        "/edit/main/practices/ozps-ngo-cooperation-lubelskie.yml")
    about = html(site, "en/about/index.html").select_one("footer .kb-footer")
    assert about.find("a", string="Suggest a change to this page")["href"].endswith("/edit/main/docs/pages/about.en.md")
