"""Search (Pagefind): one index per language, recall on the query set, the search box and the
search page, in headless Chromium against the built bundled site."""
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURE, ROOT, make_project, run_kb
from kb import KINDS, LANGUAGES
from kb.tools.browser import PREFIX, served
from kb.tools.search_eval import TARGET, TARGET_MRR, TARGET_PRECISION, evaluate, load_queries, mean, recall, report, with_typo
from test_accessibility import axe_violations

QUERIES = ROOT / "tests" / "search" / "queries.yml"
MATERIAL_HEADER = Path(__import__("material").__file__).parent / "templates" / "partials" / "header.html"
OUR_HEADER = ROOT / "docs" / "overrides" / "partials" / "header.html"
SAMPLE = {"pl": "gminach", "uk": "громадах", "en": "municipalities"}


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def indexed_pages(site: Path, lang: str) -> list[Path]:
    pages = []
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        in_lang = relative.startswith(PREFIX[lang]) if lang != "pl" else not relative.startswith(("uk/", "en/"))
        if in_lang and "data-pagefind-body" in path.read_text(encoding="utf-8"):
            pages.append(path)
    return pages


# ---- the index --------------------------------------------------------------------------------

def test_header_override_differs_from_material_only_in_the_search_block():
    """Our header is Material's with its search block swapped for ours; a Material upgrade that
    changes the header shows up here."""
    theirs = MATERIAL_HEADER.read_text(encoding="utf-8")
    start, end = theirs.index('    {% if "material/search" in config.plugins %}'), theirs.index("    {% if config.repo_url %}")
    expected = theirs[:start] + '    {% include "partials/kb-search-form.html" %}\n' + theirs[end:]
    ours = OUR_HEADER.read_text(encoding="utf-8")
    assert ours.split("-#}", 1)[1] == expected.split("-#}", 1)[1]  # all but the leading comment


def test_one_index_per_language_holding_exactly_the_pages_in_that_language(bundled_site):
    site = bundled_site / "site"
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == set(LANGUAGES)
    from kb.load import load_tree
    from kb.render import routes
    tree, _ = load_tree(bundled_site)
    records = sum(len(documents) for documents in tree.records.values())  # every bundled record is in all 3 languages
    for lang in LANGUAGES:
        pages = indexed_pages(site, lang)
        assert entry["languages"][lang]["page_count"] == len(pages) == records + len(routes.HAND_WRITTEN)
        for page in pages:
            assert html(page).html["lang"] == lang
    assert not (site / "search" / "search_index.json").exists()  # Material's whole-site index is gone
    # Catalogues, term lists, home and search pages list other pages: they are not results themselves.
    for listing in ("practices/index.html", "themes/index.html", "index.html", "search/index.html", "uk/index.html"):
        assert "data-pagefind-body" not in (site / listing).read_text(encoding="utf-8")


def test_facets_and_kind_are_given_to_pagefind(bundled_site):
    page = html(bundled_site / "site" / "uk" / "practices" / "ozps-ngo-cooperation-lubelskie" / "index.html")
    body = page.select_one("[data-pagefind-body]")
    filters = sorted(span["data-pagefind-filter"] for span in body.select("[data-pagefind-filter]"))
    assert "kind:practice" in filters and "country:pl" in filters and any(f.startswith("theme:") for f in filters)
    assert body.select_one("[data-pagefind-meta]")["data-pagefind-meta"] == "kind:Добра практика"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture knowledge base: `hromada-visit` is written in Ukrainian and has no English text."""
    root = make_project(tmp_path_factory.mktemp("fixture-search"), FIXTURE)
    code, out, err = run_kb("--root", root, "build")
    assert code == 0, out + err
    return root / "site"


def test_a_page_shown_in_its_original_language_is_not_indexed_as_the_readers_language(fixture_site, browser):
    english = fixture_site / "en" / "practices" / "hromada-visit" / "index.html"
    assert html(english).html["lang"] == "en"
    assert "data-pagefind-body" not in english.read_text(encoding="utf-8")
    # Polish page of a partly translated record: passages left in the original are kept out.
    partly = html(fixture_site / "en" / "practices" / "ngo-pilot" / "index.html")
    for passage in partly.select(".kb-fallback"):
        assert passage.has_attr("data-pagefind-ignore")
    with served(fixture_site) as base:
        page = browser.new_page()
        try:
            page.goto(base + "en/search/", wait_until="load")
            assert page.evaluate("kbSearch.top('візит', {}, 5)") == []  # Ukrainian words: not in the English index
            page.goto(base + "uk/search/", wait_until="load")
            assert [r["url"] for r in page.evaluate("kbSearch.top('візиту громад', {}, 5)")][0] == "/uk/practices/hromada-visit/"
        finally:
            page.close()


# ---- recall -----------------------------------------------------------------------------------

def test_query_set_is_large_enough_and_uses_other_word_forms(bundled_site):
    queries = load_queries(QUERIES)
    assert len(queries["pl"]) >= 40 and len(queries["uk"]) >= 40 and len(queries["en"]) >= 20
    site = bundled_site / "site"
    for lang, entries in queries.items():
        assert sum(bool(entry.get("asked")) for entry in entries) >= 20, lang  # practitioners' questions
        for entry in entries:
            target = site / PREFIX[lang] / entry["expect"] / "index.html"
            assert target.exists(), entry
            for other in entry.get("relevant", []) + entry.get("not_above", []):
                assert (site / PREFIX[lang] / other / "index.html").exists(), (entry, other)
            if entry.get("asked"):
                continue  # written as asked, not to test word forms
            body = html(target).select_one("[data-pagefind-body]")
            for ignored in body.select("[data-pagefind-ignore]"):  # not searchable: quotes, other languages
                ignored.decompose()
            text = body.get_text(" ").lower()
            page_words = set(re.findall(r"[\w'’-]+", text))
            query_words = re.findall(r"[\w'’-]+", entry["query"].lower())
            assert any(word not in page_words for word in query_words if len(word) >= 4), \
                f"{lang}: every word of {entry['query']!r} appears as is on {entry['expect']}"


def test_recall_precision_and_mrr_at_5_meet_their_targets_in_every_language(bundled_site, browser):
    """nDCG@10 and the typo figures are reported (kb search-eval), not asserted."""
    outcomes = evaluate(bundled_site / "site", load_queries(QUERIES), browser)
    print(report(outcomes))  # shown with pytest -s, and on failure
    for lang, results in outcomes.items():
        assert recall(results) >= TARGET, report(outcomes)
        assert mean(results, "precision") >= TARGET_PRECISION, report(outcomes)
        assert mean(results, "reciprocal_rank") >= TARGET_MRR, report(outcomes)
        assert not any(outcome.outranked_by for outcome in results), report(outcomes)


def test_precision_figures_follow_the_judgements():
    from kb.tools.search_eval import Outcome
    outcome = Outcome("q", "practices/a", ["/uk/practices/b/", "/uk/practices/a/", "/uk/about/"], relevant=["practices/b"],
                      not_above=["about"])
    assert outcome.rank == 2 and outcome.reciprocal_rank == 1.0  # the first relevant result is at rank 1
    assert abs(outcome.precision - 2 / 3) < 1e-9  # two of the three results shown are relevant
    assert 0 < outcome.ndcg < 1 and outcome.outranked_by == []
    assert Outcome("q", "about", ["/practices/a/", "/about/"], not_above=["practices/a"]).outranked_by == ["/practices/a/"]


def test_typo_variant_changes_one_letter_of_a_long_word():
    assert with_typo("ocena zasobów") == "ocena zasabów"
    changed = with_typo("соціальних послуг")
    assert changed != "соціальних послуг" and len(changed) == len("соціальних послуг")
    assert sum(a != b for a, b in zip(changed, "соціальних послуг")) == 1
    assert with_typo("w gmin") is None


# ---- query preparation, in the browser ----------------------------------------------------------

@pytest.fixture
def page_at(browser, base_url):
    pages = []

    def open_page(path: str, width: int = 1280, javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
        page = context.new_page()
        page.goto(base_url + path, wait_until="load")
        pages.append(context)
        return page
    yield open_page
    for context in pages:
        context.close()


def test_ukrainian_words_are_cut_to_a_stem_that_prefixes_every_form(page_at):
    page = page_at("uk/search/")
    stems = page.evaluate("""() => ["громада", "громади", "громаді", "громадою", "громадах", "послуга", "послузі",
        "послуг", "послугами", "соціальних", "соціальна", "соціальному", "осіб", "особа"].map(kbSearch.stemUk)""")
    assert stems[:5] == ["громад"] * 5
    assert all("послуга".startswith(stem) for stem in stems[5:9])
    assert stems[9] == stems[10] == stems[11] == "соціальн"
    assert stems[12] == stems[13] == "особ"
    assert page.evaluate("kbSearch.prepareQuery('соціальних послуг у громадах', 'uk')") == ["соціальних", "послуг", "громадах"]
    assert page.evaluate("kbSearch.prepareQuery('ocena w gminie', 'pl')") == ["ocena", "gminie"]
    assert page.evaluate("kbSearch.prepareQuery('w', 'pl')") == ["w"]  # nothing but a stop word: keep it


def test_excerpts_keep_only_the_highlighting(page_at):
    page = page_at("search/")
    markup = page.evaluate("""() => { const box = document.createElement('p');
        box.appendChild(kbSearch.excerptNodes('a <mark>b</mark> <img src=x onerror="window.hacked=1"><b>c</b>'));
        return box.innerHTML; }""")
    assert markup == "a <mark>b</mark> c"
    assert page.evaluate("window.hacked") is None


# ---- the header box -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_header_box_shows_results_as_you_type_and_is_keyboard_operable(page_at, lang):
    page = page_at(PREFIX[lang] + "practices/")
    box = page.locator("header #kb-header-query")
    expected_label = {"pl": "Szukaj", "uk": "Пошук", "en": "Search"}[lang]
    assert box.get_attribute("aria-label") == expected_label
    box.focus()
    page.keyboard.type(SAMPLE[lang])
    panel = page.locator("#kb-header-results")
    panel.locator(".kb-result").first.wait_for()
    status = panel.locator("[role=status]")
    assert status.get_attribute("aria-live") == "polite"
    count = int(re.search(r"\d+", status.inner_text()).group())
    assert count >= 3
    first = panel.locator(".kb-result").first
    assert first.locator(".kb-result__title").inner_text()
    assert first.locator(".kb-result__kind").inner_text()
    assert first.locator(".kb-result__excerpt mark").count() >= 1
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('kb-result__title')")
    page.keyboard.press("Escape")
    assert panel.is_hidden() and page.evaluate("document.activeElement.id") == "kb-header-query"
    page.keyboard.press("Enter")  # the whole result list, with facets, on the search page
    page.wait_for_url(re.compile(rf"/{PREFIX[lang]}search/\?q="))
    page.locator("#kb-search-results .kb-result").first.wait_for()
    assert page.input_value("#kb-search-query") == SAMPLE[lang]


def test_header_box_is_on_every_kind_of_page(bundled_site):
    site = bundled_site / "site"
    for relative in ("index.html", "uk/practices/ozps-ngo-cooperation-lubelskie/index.html", "en/acts/pl-social-assistance-act/index.html",
                     "themes/index.html", "en/about/index.html", "404.html"):
        form = html(site / relative).select_one("header form[role=search]")
        assert form is not None, relative
        assert form.select_one("input[name=q]")["aria-label"]
    action = html(site / "uk/practices/ozps-ngo-cooperation-lubelskie/index.html").select_one("header form[role=search]")["action"]
    assert action == "../../search/"  # the Ukrainian search page, relative to /uk/practices/<id>/


# ---- the search page ------------------------------------------------------------------------------

def results_of(page) -> list[str]:
    """The result links once a search has answered (with results, or saying there are none)."""
    page.wait_for_function("""() => document.querySelector('#kb-search-results .kb-result') ||
        document.getElementById('kb-search-status').textContent === document.querySelector('header form[role=search]').dataset.none""")
    return page.eval_on_selector_all("#kb-search-results .kb-result__title", "links => links.map(a => a.pathname)")


def test_facets_narrow_the_results_and_the_address_keeps_them(page_at):
    page = page_at("uk/search/?q=" + SAMPLE["uk"])
    everything = results_of(page)
    assert any("/practices/" in url for url in everything) and any("/recommendations/" in url for url in everything)
    page.click(".kb-search__facets summary")
    page.check("input[name=kind][value=recommendation]")
    page.wait_for_function("location.search.includes('kind=recommendation')")
    page.wait_for_function("[...document.querySelectorAll('#kb-search-results .kb-result__title')].every(a => a.pathname.includes('/recommendations/'))")
    narrowed = results_of(page)
    assert narrowed and len(narrowed) < len(everything)
    assert all(kind == "Правова рекомендація" for kind in page.eval_on_selector_all(".kb-result__kind", "k => k.map(e => e.textContent)"))
    # The address restores the same search, facets included.
    again = page_at("uk/search/" + page.evaluate("location.search"))
    assert results_of(again) == narrowed
    assert again.is_checked("input[name=kind][value=recommendation]")


def test_facets_alone_list_records(page_at):
    page = page_at("en/search/?country=ua")
    found = results_of(page)
    assert found and all(url.startswith("/en/") for url in found)
    assert "/en/practices/social-services-in-hromadas/" in found


def test_no_results_is_said(page_at):
    page = page_at("search/?q=qqqqxxxx")
    results_of(page)
    assert page.inner_text("#kb-search-status") == "Brak wyników wyszukiwania"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_nonsense_query_finds_nothing_in_any_language(page_at, lang):
    """Pagefind answers a word nothing begins with by the longest indexed word that begins it
    ("zzzqxy" → the Polish "z"); the search drops such answers, here and in the other languages."""
    page = page_at(f"{PREFIX[lang]}search/?q=zzzqxy")
    assert results_of(page) == []
    assert page.evaluate("kbSearch.searchElsewhere('zzzqxy', 5)") == []  # what the page offers from the other languages
    assert page.locator(".kb-search__elsewhere").is_hidden()
    for query in ("zzzq", "zzq", "qqqqxxxx"):  # ("zz" is a fair start of the Polish "zza")
        assert page.evaluate("q => kbSearch.top(q, {}, 5)", query) == [], query


def test_a_word_found_nowhere_adds_no_one_letter_matches(page_at):
    page = page_at("search/")
    urls = "q => kbSearch.top(q, {}, 10).then(found => found.map(r => r.url))"
    assert page.evaluate(urls, "zzzqxy gminy") == page.evaluate(urls, "gminy")
    marks = page.evaluate("kbSearch.top('zzzqxy gminy', {}, 10).then(found => found.map(r => r.excerpt).join(' '))")
    assert re.findall(r"<mark>([^<]*)</mark>", marks) and all(len(word) > 1 for word in re.findall(r"<mark>([^<]*)</mark>", marks))


def test_phone_width_fits_and_opens_the_search_page(page_at):
    page = page_at("uk/practices/", width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("#kb-header-query").is_hidden()
    page.click("header .kb-header-search__submit")
    page.wait_for_url(re.compile(r"/uk/search/"))
    assert page.evaluate("document.activeElement.id") == "kb-search-query"
    page.keyboard.type(SAMPLE["uk"])
    assert results_of(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_without_javascript_the_box_still_leads_somewhere_useful(page_at):
    page = page_at("en/practices/", javascript=False)
    page.fill("#kb-header-query", "hromada")
    page.press("#kb-header-query", "Enter")
    page.wait_for_url(re.compile(r"/en/search/\?q=hromada"))
    links = page.eval_on_selector_all("noscript a", "links => links.map(a => a.getAttribute('href'))")
    assert links == [f"../{folder}/" for folder in KINDS.values()]  # the catalogues, to browse instead
    # Nothing that needs JavaScript is shown: the query form, its facets, "show more", other languages.
    for selector in (".kb-search__form", ".kb-search__facets summary", ".kb-search__more", ".kb-search__elsewhere"):
        assert page.locator(selector).is_hidden(), selector


# ---- precision: word forms, synonyms, sections, other languages, facet counts ----------------------

HROMADA = re.compile(r"\bгромад(?:а|и|і|у|ою|о|ам|ами|ах)?\b", re.I)


def page_text(site: Path, url: str) -> str:
    body = html(site / url.strip("/") / "index.html").select_one("[data-pagefind-body]")
    return body.get_text(" ") if body else ""


def test_hromada_queries_never_rank_a_civic_only_page_above_a_hromada_page(bundled_site, page_at):
    page = page_at("uk/search/")
    for query in ("громадах", "громади", "громадою", "у громадах"):
        found = [r["url"] for r in page.evaluate("q => kbSearch.top(q, {}, 10)", query)]
        about = [bool(HROMADA.search(page_text(bundled_site / "site", url))) for url in found]
        assert found and about[0], (query, found)
        assert about == sorted(about, reverse=True), (query, found, about)  # no civic-only page above a hromada page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_method_pages_instructions_for_its_plan_are_not_indexed(page_at, lang):
    """Interface text that every method page repeats would make each of them match its words."""
    from kb.render.labels import load_labels
    page = page_at(f"{PREFIX[lang]}search/")
    assert "/methods/" in " ".join(r["url"] for r in page.evaluate("kbSearch.top('OZPS', {}, 10)"))  # methods are indexed
    plan = load_labels()["plan"]
    for key in ("intro", "no_script"):
        phrase = '"' + " ".join(re.findall(r"[\w’'-]+", plan[key][lang])[:4]) + '"'
        found = page.evaluate("""async phrase => {
            const pagefind = await import(document.querySelector("[data-pagefind]").getAttribute("data-pagefind"));
            return (await pagefind.search(phrase)).results.length;
        }""", phrase)
        assert found == 0, (key, phrase)


def test_lemma_tables_group_the_forms_of_a_word_and_only_them(bundled_site):
    from kb.search_words import chunk_key
    table = json.loads((bundled_site / "site" / "kb-search" / "lemmas" / "uk" / f"{chunk_key('громадах')}.json").read_text(encoding="utf-8"))
    assert "громада" in table["громадах"] and "громадою" in table["громадах"]
    assert not any(form.startswith("громадськ") for form in table["громадах"])


def test_every_synonym_occurs_in_the_knowledge_base_or_the_glossary():
    from kb.search_words import load_synonyms
    sources = [path for folder in ("practices", "standards", "recommendations", "acts", "methods") for path in (ROOT / folder).glob("*.yml")]
    text = " ".join(path.read_text(encoding="utf-8") for path in sources + [ROOT / "glossary.yml"]).casefold()
    text = text.replace("’", "'")
    synonyms = load_synonyms(ROOT)
    assert set(synonyms) == set(LANGUAGES)
    for lang, groups in synonyms.items():
        for group in groups:
            assert len(group) >= 2, (lang, group)
            for term in group:
                stems = [word[:max(4, len(word) - 2)] if len(word) > 4 else word for word in term.casefold().replace("’", "'").split()]
                assert re.search(r"\b" + r"\w*\W+".join(map(re.escape, stems)), text), f"{lang}: {term!r} is not in the knowledge base"


@pytest.mark.parametrize("text, where", [("pl: [[OPS]]\n", "synonyms.yml:1:6"), ("de:\n  - [a, b]\n", "synonyms.yml:2:3"),
                                         ("pl: [[OPS, 'a\n", "synonyms.yml:2:1: yaml.syntax")])
def test_a_malformed_synonyms_file_is_a_located_error(tmp_path, text, where):
    from kb.search_words import SynonymsError, load_synonyms
    (tmp_path / "synonyms.yml").write_text(text, encoding="utf-8")
    with pytest.raises(SynonymsError, match=re.escape(where)):
        load_synonyms(tmp_path)


def test_an_abbreviation_finds_its_expansion_and_says_so(page_at):
    page = page_at("uk/search/?q=ОТГ")
    results_of(page)
    first = page.locator("#kb-search-results .kb-result").first
    assert "/uk/practices/social-services-in-hromadas/" in [r["url"] for r in page.evaluate("kbSearch.top('ОТГ', {}, 3)")]
    assert "об’єднана територіальна громада" in first.locator(".kb-result__via").inner_text()
    pl = page_at("search/?q=OPS")
    assert results_of(pl)
    assert page_at("search/").evaluate("kbSearch.top('ґміна', {}, 5)")  # the Ukrainian spelling finds Polish pages


def test_the_section_named_is_the_one_the_excerpt_comes_from(bundled_site, page_at):
    page = page_at("uk/search/")
    for query in ("надання соціальних послуг", "оцінка ресурсів", "сертифікацією ґмін"):
        for result in page.evaluate("q => kbSearch.top(q, {}, 5)", query):
            if not result["section"]:
                continue
            url, anchor = result["section"]["url"].split("#")
            target = html(bundled_site / "site" / url.strip("/") / "index.html")
            heading = target.find(id=anchor)
            assert heading is not None, result
            section_text = []
            for node in heading.find_all_next():
                if node.name in ("h2", "h3") and node is not heading:
                    break
                section_text.append(node.get_text(" "))
            words = re.sub(r"<[^>]+>", "", result["excerpt"]).split()
            middle = words[len(words) // 2].strip(".,;:!?()«»“”")  # a word from the middle of the excerpt
            assert middle in " ".join(section_text), (query, result)


def test_no_results_offers_the_other_languages_marked_with_their_lang(page_at):
    page = page_at("en/search/?q=посадовців")
    page.locator(".kb-search__elsewhere:not([hidden]) .kb-result").first.wait_for()
    sections = page.locator(".kb-search__language:not([hidden])")
    assert sections.count() >= 1
    assert page.locator(".kb-search__language:not([hidden]) ol").first.get_attribute("lang") == "uk"
    assert "In Ukrainian" in page.inner_text(".kb-search__elsewhere")


def test_facets_show_counts_that_agree_with_the_results(page_at):
    page = page_at("uk/search/?q=" + SAMPLE["uk"])
    results_of(page)
    page.click(".kb-search__facets summary")
    names = page.eval_on_selector_all(".kb-facet legend", "ls => ls.map(l => l.textContent)")
    assert len(names) == 8  # kind, theme, target group, country, region, evidence, period, language
    page.wait_for_function("document.querySelector('input[name=kind][value=practice]').parentNode.querySelector('.kb-facet__count').textContent !== ''")
    count = int(re.search(r"\d+", page.locator("input[name=kind][value=practice]").locator("xpath=..").locator(".kb-facet__count").inner_text()).group())
    page.check("input[name=kind][value=practice]")
    page.wait_for_function("location.search.includes('kind=practice')")
    page.wait_for_function("[...document.querySelectorAll('#kb-search-results .kb-result__title')].every(a => a.pathname.includes('/practices/'))")
    status = int(re.search(r"\d+", page.inner_text("#kb-search-status")).group())
    assert status == count


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_page_with_no_results_and_other_languages_meets_wcag_21_aa(page_at, lang, width):
    page = page_at(f"{PREFIX[lang]}search/?q=qqqqxxxx", width=width)
    results_of(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_page_with_results_meets_wcag_21_aa(page_at, lang, width):
    page = page_at(f"{PREFIX[lang]}search/?q={SAMPLE[lang]}", width=width)
    assert results_of(page)
    page.click(".kb-search__facets summary")  # facets open, with their counts
    page.wait_for_function("[...document.querySelectorAll('.kb-facet__count')].every(c => c.textContent)")
    assert axe_violations(page) == []


def test_header_results_panel_meets_wcag_21_aa(page_at):
    page = page_at("practices/")
    page.fill("#kb-header-query", SAMPLE["pl"])
    page.locator("#kb-header-results .kb-result").first.wait_for()
    assert axe_violations(page) == []
