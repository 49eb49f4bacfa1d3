"""Catalogues: facet counts (the Python that counts the static pages, and the page's script, on
the same choices), the pages per facet value, and in headless Chromium on the bundled site:
narrowing by two facets and the text filter, the address, a reload, sorting, the table view,
the CSV of the selection, printing, "show all", and the page without JavaScript."""
import csv
import io
import unicodedata
from collections import Counter
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

import yaml

from conftest import FIXTURE, ROOT, open_tab

PRACTICES = len(list((ROOT / "practices").glob("*.yml")))  # the bundled knowledge base's, which the site tests build
UA_IDS = sorted(path.stem for path in (ROOT / "practices").glob("*.yml")
                if yaml.safe_load(path.read_text(encoding="utf-8"))["location"]["country"] == "ua")
UA_PRACTICES = len(UA_IDS)
from kb import KINDS, LANGUAGES
from kb.load import load_tree
from kb.model import build_model
from kb.render import render_site
from kb.render.catalogue import FIRST_CARDS, counts, facet_values, matches
from kb.render.columns import CATALOGUE_FACETS, period, years
from kb.render.routes import URL_PREFIX
from kb.schemas import Schemas


def model(root):
    tree, _ = load_tree(root)
    return build_model(tree, Schemas(root / "schemas"))


# -- counting -------------------------------------------------------------------------------

RECORDS = [{"theme": {"a", "b"}, "country": {"pl"}}, {"theme": {"a"}, "country": {"ua"}},
           {"theme": {"c"}, "country": {"pl"}}, {"theme": {"b", "c"}, "country": {"ua"}}]


def test_with_nothing_chosen_each_value_counts_the_records_carrying_it():
    tally = counts(RECORDS, ["theme", "country"], {})
    assert tally["theme"] == Counter({"a": 2, "b": 2, "c": 2}) and tally["country"] == Counter({"pl": 2, "ua": 2})


def test_a_value_counts_what_it_would_leave_given_the_other_facets():
    tally = counts(RECORDS, ["theme", "country"], {"country": {"pl"}})
    assert tally["theme"] == Counter({"a": 1, "b": 1, "c": 1})  # among the Polish records
    assert tally["country"] == Counter({"pl": 2, "ua": 2})  # its own facet is left out: ticking ua would add 2


def test_values_of_one_facet_are_alternatives_and_facets_all_hold():
    selection = {"theme": {"a", "c"}, "country": {"ua"}}
    assert [matches(values, selection) for values in RECORDS] == [False, True, False, True]
    tally = counts(RECORDS, ["theme", "country"], selection)
    assert tally["theme"] == Counter({"a": 1, "b": 1, "c": 1})  # among the Ukrainian records
    assert tally["country"] == Counter({"pl": 2, "ua": 2})  # records with theme a or c
    assert counts(RECORDS, ["theme", "country"], {"theme": {"x"}})["country"] == Counter()


def test_periods_within_one_year_are_that_year_and_years_run_from_start_to_end():
    kb = model(ROOT)
    practice = kb.get("practice", "ozps-ngo-cooperation-lubelskie")
    assert practice.period == {"start": "2017", "end": "2017"} and period(practice) == ("2017", "2017")
    assert years(practice) == ["2017"]
    assert years(kb.get("practice", "brzesko-school-for-parents")) == ["2013", "2014"]


# -- the rendered pages ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def fixture_pages():
    kb = model(FIXTURE)
    return kb, render_site(kb, Schemas(FIXTURE / "schemas"), None)


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def test_every_catalogue_lists_every_record_as_a_card_with_counts_from_the_records(fixture_pages):
    kb, files = fixture_pages
    for kind, folder in KINDS.items():
        records = list(kb.records[kind].values())
        for lang in LANGUAGES:
            page = soup(files[f"{folder}/index.{lang}.md"])
            assert sorted(card["data-kb-record"] for card in page.select(".kb-card")) == sorted(r.id for r in records)
            for facet in CATALOGUE_FACETS[kind]:
                expected = Counter(value for record in records for value in facet.values(record))
                shown = {box["value"]: int(box.find_next("span", class_="kb-facet__count").text.strip("()"))
                         for box in page.select(f'input[name="{facet.name}"]')}
                assert shown == dict(expected), (kind, facet.name, lang)


def test_each_facet_value_has_a_page_listing_its_records_and_its_siblings_counts(fixture_pages):
    kb, files = fixture_pages
    pages = 0
    for kind, folder in KINDS.items():
        records = list(kb.records[kind].values())
        for facet in CATALOGUE_FACETS[kind]:
            for value in {value for record in records for value in facet.values(record)}:
                carrying = sorted(r.id for r in records if value in facet.values(r))
                for lang in LANGUAGES:
                    name = f"{folder}-{facet.name.replace('_', '-')}-{value}.{lang}.md"
                    path = f"recommendation-status/{value}.{lang}.md" if facet.name == "status" else f"browse/{name}"
                    page = soup(files[path])
                    assert sorted(card["data-kb-record"] for card in page.select(".kb-card")) == carrying, path
                    if facet.name != "status":
                        current = page.select_one('.kb-browse [aria-current="page"]')
                        assert current.parent.get_text().endswith(f"({len(carrying)})")
                        pages += 1
    assert pages > 50


def test_the_script_data_names_each_records_values_in_the_panels_order(fixture_pages):
    import json
    kb, files = fixture_pages
    page = soup(files["practices/index.en.md"])
    data = json.loads(page.select_one("[data-kb-catalogue-data]").string)
    assert data["facets"] == [f.name for f in CATALOGUE_FACETS["practice"] if page.select(f'[data-kb-facet="{f.name}"]')]
    cards = [card["data-kb-record"] for card in page.select(".kb-card")]
    for record_id, row in zip(cards, data["records"]):
        record = kb.get("practice", record_id)
        assert row[0] == str(record.updated)
        for name, indexes in zip(data["facets"], row[-1]):
            boxes = [box["value"] for box in page.select(f'input[name="{name}"]')]
            facet = next(f for f in CATALOGUE_FACETS["practice"] if f.name == name)
            assert sorted(boxes[i] for i in indexes) == sorted(facet.values(record))


def test_similar_practices_share_themes_or_target_groups_most_first_in_a_stable_order():
    kb = model(ROOT)
    for practice in kb.records["practice"].values():
        similar = kb.similar_practices(practice)
        assert len(similar) <= 5 and practice not in similar
        shared = [len(set(o.themes) & set(practice.themes)) + len(set(o.target_groups) & set(practice.target_groups))
                  for o in similar]
        assert all(shared) and shared == sorted(shared, reverse=True)
        assert similar == kb.similar_practices(practice)
    page = (ROOT / "practices").glob("*.yml")
    assert page  # the bundled practices have neighbours:
    assert kb.similar_practices(kb.get("practice", "brzesko-school-for-parents"))


# -- in the browser -------------------------------------------------------------------------

def normalise(text: str) -> str:
    """As the page's script compares text: lower case, accents dropped, spaces folded."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return " ".join("".join(c for c in decomposed if not "\u0300" <= c <= "\u036f").split())


@pytest.fixture
def catalogue(browser, base_url):
    contexts = []

    def open_(state="", lang="en", width=1280, javascript=True, folder="practices", first=None):
        """The catalogue in a tab of its own; `first` lowers the cards shown before "show all"
        (the script reads it from the page's data, where the build writes FIRST_CARDS)."""
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                      accept_downloads=True)
        contexts.append(context)
        address = f"{base_url}{URL_PREFIX[lang]}{folder}/"
        if first is not None:
            def lower(route):
                text = route.fetch().text()
                assert f'"first":{FIRST_CARDS},' in text
                route.fulfill(body=text.replace(f'"first":{FIRST_CARDS},', f'"first":{first},'), content_type="text/html")
            context.route(address, lower)
        return open_tab(context, address + ('#' + state if state else ''))
    yield open_
    for context in contexts:
        context.close()


def visible_ids(tab) -> list:
    return tab.evaluate("() => [...document.querySelectorAll('.kb-card')].filter(c => !c.hidden).map(c => c.dataset.kbRecord)")


def shown_counts(tab) -> dict:
    return tab.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-kb-facet]')].map(f => [f.dataset.kbFacet,
        Object.fromEntries([...f.querySelectorAll('input')].map(i => [i.value,
            Number(i.parentNode.querySelector('[data-kb-count]').textContent.replace(/[()]/g, ''))]))]))""")


def expected(bundled_site, lang: str, selection: dict, words: str):
    """The records and counts the choices should give, worked out here from the records and the cards' text."""
    kb = model(bundled_site)
    facets = CATALOGUE_FACETS["practice"]
    page = soup((bundled_site / "site" / URL_PREFIX[lang] / "practices" / "index.html").read_text(encoding="utf-8"))
    texts = {card["data-kb-record"]: normalise(card.get_text()) for card in page.select(".kb-card")}
    wanted = normalise(words).split()
    records = [r for r in kb.records["practice"].values() if all(w in texts[r.id] for w in wanted)]
    values = [facet_values(r, facets) for r in records]
    kept = sorted(r.id for r, v in zip(records, values) if matches(v, selection))
    tally = counts(values, [f.name for f in facets], selection)
    return kept, tally


def test_two_facets_and_the_text_filter_narrow_the_list_keep_the_address_and_survive_a_reload(catalogue, bundled_site):
    tab = catalogue()
    assert tab.is_visible("[data-kb-controls]") and tab.is_hidden("[data-kb-static]")
    assert len(visible_ids(tab)) == PRACTICES and f"Showing {PRACTICES} of {PRACTICES}." in tab.inner_text("[data-kb-status]")
    tab.click(".kb-catalogue__facets summary")
    tab.check('input[name="theme"][value="family-policy"]')
    tab.check('input[name="target_group"][value="families-with-children"]')
    tab.fill("#kb-catalogue-text", "Warsaw")
    selection = {"theme": {"family-policy"}, "target_group": {"families-with-children"}}
    kept, tally = expected(bundled_site, "en", selection, "Warsaw")
    assert kept == ["warsaw-family-information-portal", "warsaw-school-route-safety-audits"]
    assert sorted(visible_ids(tab)) == kept
    assert tab.inner_text("[data-kb-status]") == f"Showing 2 of {PRACTICES}."
    assert tab.get_attribute("[data-kb-status]", "role") == "status"
    shown = shown_counts(tab)
    for name, values in shown.items():
        assert values == {value: tally[name][value] for value in values}, name
    assert shown["theme"]["family-policy"] == 2 and shown["country"]["pl"] == 2
    tab.wait_for_function("() => location.hash.includes('q=')")  # the address is written once the list is shown
    address = unquote(tab.url.split("#", 1)[1])
    assert address == "theme=family-policy&target_group=families-with-children&q=Warsaw"
    tab.reload(wait_until="load")
    assert sorted(visible_ids(tab)) == kept
    assert tab.input_value("#kb-catalogue-text") == "Warsaw"
    assert tab.is_checked('input[name="theme"][value="family-policy"]')
    assert tab.is_checked('input[name="target_group"][value="families-with-children"]')
    assert shown_counts(tab) == shown
    tab.click('[data-kb-action="clear"]')
    assert len(visible_ids(tab)) == PRACTICES and "#" not in tab.url.rstrip("#")
    assert tab.problems == []


def test_the_page_script_counts_as_the_build_does_on_many_choices(catalogue, bundled_site):
    import random
    tab = catalogue()
    kb = model(bundled_site)
    facets = CATALOGUE_FACETS["practice"]
    options = {name: list(values) for name, values in shown_counts(tab).items()}
    rng = random.Random(11)
    for _ in range(25):
        selection = {name: set(rng.sample(values, min(len(values), rng.choice([0, 0, 1, 2]))))
                     for name, values in options.items()}
        state = "&".join(f"{name}={','.join(sorted(values))}" for name, values in selection.items() if values)
        tab.evaluate("state => window.kbCatalogue.narrow(state)", state)
        records = list(kb.records["practice"].values())
        values = [facet_values(r, facets) for r in records]
        assert sorted(visible_ids(tab)) == sorted(r.id for r, v in zip(records, values) if matches(v, selection)), state
        tally = counts(values, [f.name for f in facets], selection)
        assert shown_counts(tab) == {name: {v: tally[name][v] for v in shown} for name, shown in options.items()}, state


def test_sorting_by_year_and_the_table_view_with_every_column(catalogue):
    tab = catalogue("sort=year&view=table")
    assert tab.input_value("#kb-catalogue-sort") == "year"
    assert tab.is_hidden("[data-kb-cards]")
    headers = tab.eval_on_selector_all(".kb-catalogue__table thead th", "cells => cells.map(c => c.textContent)")
    assert headers == ["Title", "Place", "Period", "Themes", "Target groups", "Evidence level", "Translation"]
    assert tab.locator(".kb-catalogue__table tbody tr").count() == PRACTICES
    starts = tab.eval_on_selector_all(".kb-catalogue__table tbody td:nth-child(3)", "cells => cells.map(c => c.textContent)")
    years = [int(text[:4]) for text in starts if text]
    assert years == sorted(years, reverse=True) and len(years) >= 8
    fits = tab.evaluate("""() => { const region = document.querySelector('.kb-catalogue__table');
        return region.scrollWidth <= region.clientWidth && document.documentElement.scrollWidth <= innerWidth; }""")
    assert fits  # every column visible on a wide screen
    assert tab.get_attribute(".kb-catalogue__table", "tabindex") == "0"
    tab.check('input[name="view"][value="cards"]')
    assert tab.is_visible("[data-kb-cards]") and tab.is_hidden(".kb-catalogue__table")


def test_download_this_list_gives_the_selection_as_csv_in_the_readers_language(catalogue, tmp_path):
    tab = catalogue("country=ua", lang="uk")
    with tab.expect_download() as download_info:
        tab.click('[data-kb-action="csv"]')
    download = download_info.value
    assert download.suggested_filename == "practices-uk.csv"
    path = tmp_path / "list.csv"
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Ідентифікатор", "Назва", "Адреса сторінки", "Тема"]
    assert rows[0][4:] == [tab.inner_text(f'[data-kb-facet="{f.name}"] legend') for f in CATALOGUE_FACETS["practice"]][1:]
    assert [row[0] for row in rows[1:]] == visible_ids(tab) and sorted(visible_ids(tab)) == UA_IDS
    hromadas = next(row for row in rows[1:] if row[0] == "social-services-in-hromadas")
    assert hromadas[2].endswith("/uk/practices/social-services-in-hromadas/")
    assert all("Україна" in row[rows[0].index("Країна")] for row in rows[1:])


def test_printing_shows_the_selection_without_the_controls(catalogue):
    tab = catalogue("country=ua")
    tab.emulate_media(media="print")
    assert tab.is_hidden("[data-kb-controls]") and tab.is_hidden(".md-header")
    shown = tab.evaluate("() => [...document.querySelectorAll('.kb-card')].filter(c => getComputedStyle(c).display !== 'none').length")
    assert shown == UA_PRACTICES
    pdf = tab.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_without_javascript_every_record_is_listed_with_a_page_per_facet_value(catalogue, bundled_site):
    tab = catalogue(javascript=False, lang="pl")
    assert len(visible_ids(tab)) == PRACTICES
    assert tab.is_hidden("[data-kb-controls]")  # no control that needs the script
    tab.click(".kb-browse summary")
    link = tab.locator('.kb-browse a[href*="practices-country-ua"]')
    assert link.locator("xpath=..").inner_text().endswith(f"({UA_PRACTICES})")
    link.click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith("/browse/practices-country-ua/")
    assert sorted(visible_ids(tab)) == UA_IDS
    assert tab.evaluate("document.documentElement.lang") == "pl"


FIRST = 5  # cards before "show all" in these tests: the bundled practices are more than that


def test_a_long_selection_shows_its_first_cards_and_show_all_brings_the_rest_with_the_focus_on_them(catalogue):
    tab = catalogue(first=FIRST)
    assert len(visible_ids(tab)) == FIRST and tab.inner_text("[data-kb-status]") == f"Showing {PRACTICES} of {PRACTICES}."
    more = tab.locator("[data-kb-more]")
    assert more.is_visible() and more.inner_text() == f"Show all {PRACTICES}"
    first = visible_ids(tab)
    more.focus()
    tab.keyboard.press("Enter")
    shown = visible_ids(tab)
    assert len(shown) == PRACTICES and shown[:FIRST] == first and more.is_hidden()
    assert tab.evaluate("document.activeElement.closest('.kb-card').dataset.kbRecord") == shown[FIRST]
    assert tab.evaluate("document.activeElement.matches('.kb-card__title a')")
    tab.select_option("#kb-catalogue-sort", "year")  # a new choice: its first cards again
    assert len(visible_ids(tab)) == FIRST and more.inner_text() == f"Show all {PRACTICES}"
    tab.click(".kb-catalogue__facets summary")
    tab.check('input[name="country"][value="pl"]')
    selected = tab.evaluate("() => JSON.parse(document.querySelector('[data-kb-catalogue-data]').textContent).records.length")
    assert selected == PRACTICES
    count = int(tab.inner_text("[data-kb-status]").split()[1])
    assert FIRST < count < PRACTICES and len(visible_ids(tab)) == FIRST and more.inner_text() == f"Show all {count}"
    more.focus()
    tab.keyboard.press("Space")
    assert len(visible_ids(tab)) == count and more.is_hidden()
    assert tab.problems == []


def test_show_all_in_the_table_view_and_in_every_language(catalogue):
    tab = catalogue("view=table", first=FIRST)
    assert tab.locator(".kb-catalogue__table tbody tr").count() == FIRST
    tab.locator("[data-kb-more]").focus()
    tab.keyboard.press("Enter")
    assert tab.locator(".kb-catalogue__table tbody tr").count() == PRACTICES
    assert tab.evaluate("document.activeElement === document.querySelectorAll('.kb-catalogue__table tbody th a')[arguments[0]]"
                        .replace("arguments[0]", str(FIRST)))
    for lang, words in (("pl", f"Pokaż wszystkie ({PRACTICES})"), ("uk", f"Показати всі ({PRACTICES})")):
        assert catalogue(lang=lang, first=FIRST).inner_text("[data-kb-more]") == words


def test_without_javascript_a_long_catalogue_lists_every_record_and_no_show_all(catalogue):
    tab = catalogue(javascript=False, first=FIRST)
    assert len(visible_ids(tab)) == PRACTICES
    assert tab.is_hidden("[data-kb-more]")  # it needs the script


def test_the_build_gives_the_script_its_number_of_first_cards(fixture_pages):
    import json
    _, files = fixture_pages
    page = soup(files[f"{KINDS['practice']}/index.en.md"])
    assert json.loads(page.select_one("[data-kb-catalogue-data]").string)["first"] == FIRST_CARDS


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_show_all_has_no_wcag_21_aa_violations(catalogue, lang, width):
    from test_accessibility import axe_violations
    tab = catalogue(lang=lang, width=width, first=FIRST)
    assert tab.is_visible("[data-kb-more]")
    assert axe_violations(tab) == []
    tab.click("[data-kb-more]")
    assert len(visible_ids(tab)) == PRACTICES and axe_violations(tab) == []
