"""WCAG 2.1 A/AA with axe-core in headless Chromium (Debian's package, driven by Playwright):
home, every catalogue (narrowed, as a table, with its facets open), a page per facet value, a
practice, a standard, a self-assessment (unanswered and answered), the act, the glossary, a method
guide, the indicators, a practice handout, what's new, open data and statistics, the translation
status and the contributors' guide, in all three languages, at desktop and phone width."""
import pytest

from conftest import ROOT
from kb.tools.browser import PREFIX

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "practices/", "practices/ozps-ngo-cooperation-lubelskie/", "standards/family-friendly-municipality/",
         "acts/pl-social-assistance-act/", "recommendations/", "recommendation-status/proposed/",
         "recommendations/ozps-ngo-participation/", "self-assessment/social-work-service-standard/", "glossary/",
         "methods/", "methods/local-social-problems-strategy/", "indicators/", "standards/", "acts/",
         "practices/#theme=family-policy&country=pl&q=warsz", "practices/#target_group=older-people&view=table&sort=year",
         "browse/practices-theme-family-policy/", "browse/standards-language-en/",
         "handouts/ozps-ngo-cooperation-lubelskie/", "changes/", "data/", "statistics/",
         "translation-status/", "contributing/"]
# A self-assessment with answers of every kind: the verdict, what helps and the next steps show.
ANSWERED = ("self-assessment/social-work-service-standard/#met=access-regardless-of-income,case-record"
            "&not-met=local-resource-map,plan-review&na=community-work&note.plan-review=Brak%20danych&institution=MOPS")
WIDTHS = {"desktop": 1280, "phone": 360}


def axe_violations(page) -> list:
    """WCAG 2.1 A and AA rules of axe-core on the page as it is now."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (the README's test command does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:5]) for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", PREFIX)
@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_21_aa_violations(browser, base_url, path, lang, width):
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 800})
    try:
        page.goto(base_url + PREFIX[lang] + path, wait_until="load")
        assert page.evaluate("document.documentElement.lang") == lang
        assert axe_violations(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", PREFIX)
def test_an_answered_self_assessment_has_no_wcag_21_aa_violations(browser, base_url, lang, width):
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 800})
    try:
        page.goto(base_url + PREFIX[lang] + ANSWERED, wait_until="load")
        assert page.locator("[data-kb-next] .kb-next__criterion").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing cut off at 360 px
        assert axe_violations(page) == []
    finally:
        page.close()


def test_single_key_shortcuts_are_off_but_typing_works(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url + "en/", wait_until="load")
        page.keyboard.press("s")  # Material would jump to a search box on 's' (WCAG 2.1.4)
        assert page.evaluate("document.activeElement.tagName") != "INPUT"
        page.focus("#kb-header-query")
        page.keyboard.type("social")  # in a field, the same keys are just text
        assert page.input_value("#kb-header-query") == "social"
    finally:
        page.close()


def test_wide_tables_can_be_scrolled_by_keyboard_on_a_phone(browser, base_url):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(base_url + "themes/family-policy/", wait_until="load")
        page.wait_for_selector(".md-typeset__scrollwrap")
        assert page.evaluate("[...document.querySelectorAll('.md-typeset__scrollwrap')].every(w => w.tabIndex === 0)")
    finally:
        page.close()
