"""Acts read side by side: every unit of every act in every language, back-links that resolve,
structured data in the head; in headless Chromium the column choice, the copy-link control, the
nearest-unit fallback and the phone layout."""
import json
import re

import pytest
from bs4 import BeautifulSoup

from kb import LANGUAGES
from kb.load import load_tree
from kb.render.routes import URL_PREFIX
from kb.units import walk

from conftest import ROOT
from test_site import resolve

ACT = "pl-social-assistance-act"
CONSOLIDATED = next(document.data["consolidated_text"]["reference"] for document in load_tree(ROOT)[0].records["act"]
                    if document.data["id"] == ACT)


def act_ids(root):
    tree, _ = load_tree(root)
    return {document.data["id"]: [unit.data["id"] for unit in walk(document.data)] for document in tree.records["act"]}


def page(site, lang, act=ACT):
    relative = f"{URL_PREFIX[lang]}acts/{act}/index.html"
    return relative, BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site / "site"


def test_every_unit_has_its_anchor_and_every_language_column_in_every_language(bundled_site, site):
    tree, _ = load_tree(bundled_site)
    with_text = {document.data["id"]: {unit.data["id"] for unit in walk(document.data) if unit.data.get("text")}
                 for document in tree.records["act"]}
    assert all(with_text.values())
    originals = {document.data["id"]: document.data["lang"] for document in tree.records["act"]}
    for act, ids in act_ids(bundled_site).items():
        original = originals[act]  # the original's column comes first, the others in the site's order
        columns = [original] + [other for other in LANGUAGES if other != original]
        assert any("__letter_" in unit_id for unit_id in ids) or act != ACT  # art. 16b's letters are units
        for lang in LANGUAGES:
            _, html = page(site, lang, act)
            for unit_id in ids:
                assert len(html.find_all(id=unit_id)) == 1, (act, lang, unit_id)  # one anchor, no duplicate
                unit = html.find(id=unit_id)
                if unit.name == "h2":  # an article's anchor is its heading; its text follows
                    unit = unit.find_next("div", class_="kb-provisions").find("div", class_="kb-unit")
                assert "kb-unit" in unit.get("class", []), (act, lang, unit_id)
                halves = unit.select(":scope > .kb-pair > .kb-half")
                if unit.select(":scope > .kb-pair") or unit_id in with_text[act]:
                    assert halves, (lang, unit_id)
                    assert [half["data-kb-lang"] for half in halves] == columns
                    shown = [half for half in halves if not half.has_attr("hidden")]
                    expected = [original, lang if lang != original else columns[1]]  # the original beside the reader's language
                    assert [half["data-kb-lang"] for half in shown] == expected, (lang, unit_id)
                    for half in halves:  # each column carries the language of what it shows, its label the reader's
                        untranslated = half.select_one(".kb-untranslated")
                        assert half["lang"] == (lang if untranslated else half["data-kb-lang"])
                        badge = half.select_one(".kb-state")
                        assert (badge is None) == bool(untranslated) and (badge is None or badge["lang"] == lang)


def test_citations_are_shown_on_the_units_and_resolve(site):
    for lang in LANGUAGES:
        relative, html = page(site, lang)
        cited = html.select(".kb-cited-by a")
        assert cited, lang
        for link in cited:
            target, anchor = resolve(site, relative, link["href"])
            assert target.is_file(), link["href"]
            if anchor:
                assert BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find(id=anchor), link["href"]


def test_citing_pages_quote_the_cited_unit(site):
    html = BeautifulSoup((site / "en/practices/participatory-social-problems-strategy/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    quotes = [link.parent for link in html.select("a[href*='acts/pl-social-assistance-act/#']")]
    assert quotes and all(item.select_one("q.kb-quote") for item in quotes)


def test_head_states_the_act_and_its_translations(site):
    for lang in LANGUAGES:
        _, html = page(site, lang)
        data = json.loads(html.find("script", type="application/ld+json").string)
        assert data["@type"] == "Legislation" and data["legislationIdentifier"] == "DU/2004/593"
        assert data["inLanguage"] == lang and data["legislationDate"] == "2004-03-12"
        facts = html.find(id="facts").find_next("ul")
        assert facts.find("a", href="https://eli.gov.pl/eli/DU/2004/593/ogl")
        text = facts.get_text(" ")
        assert "Dz.U. 2004 nr 64 poz. 593" in text and CONSOLIDATED in text
        assert re.search(r"\d+ (of|з|z) \d+|: \d+ (з|z) \d+", text), text  # units translated, counted
        notices = html.select_one(".kb-notices").get_text(" ")
        assert {"pl": "nie mają mocy prawnej", "uk": "Юридичну силу має лише", "en": "Only the original text"}[lang] in notices
        if lang != "pl":
            assert data["legislationLegalValue"] == "https://schema.org/UnofficialLegalValue"
            assert data["translationOfWork"]["inLanguage"] == "pl"
            for reference in ("Dz.U. 2004 nr 64 poz. 593", CONSOLIDATED):  # Polish references marked as Polish
                assert facts.find(string=reference).parent.get("lang") == "pl", reference
        else:
            assert "legislationLegalValue" not in data


def test_recommendations_can_be_narrowed_by_status_and_addressee_without_javascript(site):
    for lang in LANGUAGES:
        relative = f"{URL_PREFIX[lang]}recommendations/index.html"
        html = BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")
        statuses = [a for a in html.select(".kb-browse a[href]") if "recommendation-status/" in a["href"]]
        assert len(statuses) == 1  # the one status the bundled recommendations stand at (proposed): its own page
        for link in statuses:
            target, _ = resolve(site, relative, link["href"])
            listing = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            assert listing.html["lang"] == lang
        assert html.find(id="by-addressee").find_next("ul").find_all("a")
        for status in ("proposed", "submitted", "adopted"):  # every status has its page, with or without records
            assert (site / f"{URL_PREFIX[lang]}recommendation-status/{status}/index.html").exists()
        proposed = BeautifulSoup((site / f"{URL_PREFIX[lang]}recommendation-status/proposed/index.html").read_text(encoding="utf-8"),
                                 "html.parser")
        assert len(proposed.select(".kb-card")) == 3


# -- in the browser -------------------------------------------------------------------------

@pytest.fixture
def act_page(browser, base_url):
    pages = []

    def open_(lang="en", anchor="", width=1280, javascript=True):
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
        tab = context.new_page()
        tab.goto(f"{base_url}{URL_PREFIX[lang]}acts/{ACT}/{anchor}", wait_until="load")
        pages.append(context)
        return tab
    yield open_
    for context in pages:
        context.close()


def visible_columns(tab, unit_id):
    return tab.evaluate("""id => [...document.getElementById(id).querySelectorAll(':scope > .kb-pair > .kb-half')]
        .filter(half => !half.hidden).map(half => half.dataset.kbLang)""", unit_id)


def test_the_reader_chooses_the_columns(act_page):
    tab = act_page("en")
    assert visible_columns(tab, "art_16a__para_1") == ["pl", "en"]
    tab.select_option("select[data-kb-column='0']", "uk")
    assert visible_columns(tab, "art_16a__para_1") == ["uk", "en"]  # a pair of two translations
    tab.select_option("select[data-kb-column='1']", "")
    assert visible_columns(tab, "art_16a__para_1") == ["uk"]  # one language alone
    tab.select_option("select[data-kb-column='0']", "pl")
    assert visible_columns(tab, "art_16b__para_2__point_3__letter_a") == ["pl"]  # the original alone
    tab.select_option("select[data-kb-column='0']", "en")
    tab.select_option("select[data-kb-column='1']", "pl")
    lefts = tab.evaluate("""() => Object.fromEntries([...document.getElementById('art_16a__para_1').querySelectorAll(':scope > .kb-pair > .kb-half')]
        .filter(half => !half.hidden).map(half => [half.dataset.kbLang, half.getBoundingClientRect().left]))""")
    assert lefts["en"] < lefts["pl"]  # the first column chosen is shown first


def test_without_javascript_the_pair_shows_and_no_control_does(act_page):
    tab = act_page("uk", javascript=False)
    assert visible_columns(tab, "art_17__para_1") == ["pl", "uk"]
    assert tab.locator("[data-kb-act-view]").is_hidden()
    assert tab.locator(".kb-copy-link").first.is_hidden()


def test_copy_link_copies_the_permanent_address_and_says_so(act_page, base_url):
    tab = act_page("uk")
    button = tab.locator("#art_16b__para_2__point_3__letter_b .kb-copy-link").first
    button.focus()
    tab.keyboard.press("Enter")  # keyboard-operable
    expected = f"{base_url}uk/acts/{ACT}/#art_16b__para_2__point_3__letter_b"
    tab.wait_for_function("() => document.querySelector('[data-kb-announce]').textContent.length > 0")
    assert tab.evaluate("navigator.clipboard.readText()") == expected
    assert expected in tab.inner_text("[data-kb-announce]")
    assert tab.get_attribute("[data-kb-announce]", "role") == "status"


def test_a_removed_unit_leads_to_its_nearest_ancestor(act_page):
    tab = act_page("en", anchor="#art_17__para_1__point_9")
    tab.wait_for_function("() => document.querySelector('.kb-unit--nearest')")
    assert tab.evaluate("document.querySelector('.kb-unit--nearest').id") == "art_17__para_1"
    assert tab.evaluate("window.scrollY") > 0
    assert "art_17__para_1__point_9" in tab.inner_text("[data-kb-announce]")
    tab.evaluate("location.hash = 'art_45__para_9'")  # the nearest unit is an article: its heading
    tab.wait_for_function("() => document.querySelector('.kb-unit--nearest').id === 'art_45'")
    tab.wait_for_function("() => document.querySelector('[data-kb-announce]').textContent.includes('Art. 45')")
    tab.evaluate("location.hash = 'art_16a'")  # a unit that exists: no stand-in is marked any more
    tab.wait_for_function("() => !document.querySelector('.kb-unit--nearest')")
    tab.evaluate("location.hash = '%E0'")  # a broken address does not stop the page's script
    tab.evaluate("location.hash = 'art_17__para_1__point_9'")
    tab.wait_for_function("() => document.querySelector('.kb-unit--nearest')")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_width_stacks_the_columns_without_horizontal_scrolling(act_page, lang):
    tab = act_page(lang, width=360)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    left, right = tab.evaluate("""() => [...document.getElementById('art_16a__para_1').querySelectorAll(':scope > .kb-pair > .kb-half')]
        .filter(half => !half.hidden).map(half => half.getBoundingClientRect().top)""")
    assert right > left  # stacked, not side by side
    wide = act_page(lang, width=1280)
    left, right = wide.evaluate("""() => [...document.getElementById('art_16a__para_1').querySelectorAll(':scope > .kb-pair > .kb-half')]
        .filter(half => !half.hidden).map(half => half.getBoundingClientRect().top)""")
    assert left == right  # side by side


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """The fixture knowledge base, whose sample act has no English text for art. 2."""
    from conftest import FIXTURE, make_project, run_kb
    root = make_project(tmp_path_factory.mktemp("fixture-act"), FIXTURE)
    code, out, err = run_kb("--root", root, "build")
    assert code == 0, out + err
    return root / "site"


def test_an_untranslated_unit_shows_the_original_under_a_notice_when_its_column_is_alone(fixture_site, browser):
    from kb.tools.browser import served
    display = """() => [...document.querySelectorAll('#art_2__para_1 > .kb-pair > .kb-half[data-kb-lang=en]')]
        .map(half => getComputedStyle(half.querySelector('.kb-untranslated__original')).display)"""
    with served(fixture_site) as base:
        tab = browser.new_page()
        try:
            tab.goto(base + "en/acts/sample-act/", wait_until="load")
            assert tab.evaluate(display) == ["none"]  # the original is in its own column beside it
            tab.select_option("select[data-kb-column='0']", "en")
            tab.select_option("select[data-kb-column='1']", "")
            assert tab.evaluate(display) == ["block"]  # English alone: the notice, and the original under it
            assert tab.get_attribute("#art_2__para_1 .kb-half[data-kb-lang=en] .kb-untranslated__original", "lang") == "pl"
        finally:
            tab.close()


@pytest.mark.parametrize("lang, letters", [("pl", ["a)", "b)", "c)", "d)"]), ("uk", ["а)", "б)", "в)", "г)"]),
                                           ("en", ["a)", "b)", "c)", "d)"])])
def test_letters_of_points_are_in_the_readers_alphabet(site, lang, letters):
    _, html = page(site, lang)
    numbers = [html.find(id=f"art_16b__para_2__point_3__letter_{letter}").select_one(".kb-unit-number").get_text()
               for letter in "abcd"]
    assert numbers == letters  # Cyrillic in Ukrainian; the addresses (ids) stay Latin
    label = html.find(id="art_16b__para_2__point_3__letter_b").select_one(".kb-visually-hidden").get_text()
    assert label.endswith({"pl": "lit. b", "uk": "літера б", "en": "letter b"}[lang])
