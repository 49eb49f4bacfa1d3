"""Method guides on the bundled site: every stage's anchor in every language, the links both ways
(practices ↔ stages, act units → stages, stages → indicators), and the working checklist in
headless Chromium: ticked, reopened from its address, printed, and without JavaScript."""

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, open_tab
from kb import LANGUAGES
from kb.render.routes import URL_PREFIX

METHOD = "local-social-problems-strategy"


def methods() -> dict:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "methods").glob("*.yml"))}


def html(site, relative):
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site / "site"


def test_the_starter_methods_exist_with_stages_checklists_and_sources():
    found = methods()
    assert {"local-social-problems-strategy", "annual-ozps"} <= set(found)
    for method in found.values():
        assert len(method["stages"]) >= 4 and all(stage["checklist"] for stage in method["stages"])
        assert all(stage.get("hromada") for stage in method["stages"]), method["id"]  # what it means for a hromada


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_stage_has_its_anchor_and_every_link_resolves(site, lang):
    for method_id, method in methods().items():
        page = html(site, f"{URL_PREFIX[lang]}methods/{method_id}/index.html")
        assert page.html["lang"] == lang
        for stage in method["stages"]:
            assert len(page.find_all(id=stage["id"])) == 1, (method_id, stage["id"])
            assert page.select_one(f'a[href="#{stage["id"]}"]'), "the stage list links to it"
        for item in method["stages"][0]["checklist"]:
            assert page.select_one(f'input[type=checkbox][value="{method["stages"][0]["id"]}.{item["id"]}"]')
        for link in page.select(".md-content a[href]"):  # every link inside the page leads to a page and anchor that exist
            href = link["href"]
            if href.startswith(("http", "mailto:")):
                continue
            target, _, anchor = href.partition("#")
            folder = site / f"{URL_PREFIX[lang]}methods/{method_id}/"
            if target.endswith((".bib", ".json")):  # the citation's files beside the page
                assert (folder / target).is_file(), href
                continue
            target_page = (folder / target / "index.html").resolve() if target else None
            if target_page is not None:
                assert target_page.exists(), href
            if anchor:
                holder = BeautifulSoup(target_page.read_text(encoding="utf-8"), "html.parser") if target_page else page
                assert holder.find(id=anchor), href


def test_links_both_ways(site):
    for method_id, method in methods().items():
        stage_ids = {stage["id"] for stage in method["stages"]}
        cited_units = {ref["provision"] for stage in method["stages"] for ref in stage.get("legal_requirements", [])}
        act = html(site, "acts/pl-social-assistance-act/index.html")
        for unit in cited_units:  # the act's unit names the stage that relies on it
            cited_by = act.find(id=unit).find_next("p", class_="kb-cited-by")
            assert cited_by and any(f"methods/{method_id}/#" in a["href"] for a in cited_by.select("a")), unit
        indicators = html(site, "indicators/index.html")
        for stage in method["stages"]:
            for indicator in stage.get("indicators", []):
                entry = indicators.find(id=indicator)
                assert entry, indicator
                used = entry.find_next("ul")
                assert any(a["href"].endswith(f"methods/{method_id}/#{stage['id']}") for a in used.select("a")), indicator
        for path in sorted((ROOT / "practices").glob("*.yml")):
            practice = yaml.safe_load(path.read_text(encoding="utf-8"))
            for ref in practice.get("method_stages", []):
                if ref["method"] == method_id:
                    assert ref["stage"] in stage_ids
                    page = html(site, f"practices/{practice['id']}/index.html")
                    assert page.select_one(f'#method-stages ~ ul a[href$="methods/{method_id}/#{ref["stage"]}"]')
    home = html(site, "index.html")
    assert home.select_one('.md-content a[href$="methods/"]'), "the home page offers the methods"


@pytest.fixture
def plan(browser, base_url):
    contexts = []

    def open_(lang="en", state="", javascript=True, context=None):
        if context is None:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
            contexts.append(context)
        return open_tab(context, f"{base_url}{URL_PREFIX[lang]}methods/{METHOD}/{'#' + state if state else ''}")
    yield open_
    for context in contexts:
        context.close()


def test_ticked_items_owner_and_date_come_back_from_the_address_and_print(plan):
    method = methods()[METHOD]
    first, second = method["stages"][0], method["stages"][1]
    tab = plan("pl")
    tab.check(f'input[value="{first["id"]}.{first["checklist"][0]["id"]}"]')
    tab.check(f'input[value="{second["id"]}.{second["checklist"][0]["id"]}"]')
    tab.fill(f'#plan-{first["id"]}-owner', "Zespół ds. strategii & OPS")
    tab.fill(f'#plan-{first["id"]}-due', "2027-03-31")
    total = sum(len(stage["checklist"]) for stage in method["stages"])
    assert tab.inner_text("[data-kb-progress]") == f"Wykonano 2 z {total} punktów."
    tab.wait_for_function("() => location.hash.includes('due.')")  # the address is written a moment after a change
    address = tab.url
    assert "done=" in address and f"owner.{first['id']}=" in address
    again = plan("pl", state=address.split("#", 1)[1])
    assert again.is_checked(f'input[value="{first["id"]}.{first["checklist"][0]["id"]}"]')
    assert again.is_checked(f'input[value="{second["id"]}.{second["checklist"][0]["id"]}"]')
    assert again.input_value(f'#plan-{first["id"]}-owner') == "Zespół ds. strategii & OPS"
    assert again.input_value(f'#plan-{first["id"]}-due') == "2027-03-31"
    again.emulate_media(media="print")
    assert not again.locator(".md-header").is_visible() and not again.locator("[data-kb-controls]").is_visible()
    assert again.locator(f'#plan-{first["id"]}-owner').is_visible()  # the work plan prints with what was filled in
    pdf = again.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert tab.problems == again.problems == []


def test_remembered_only_when_asked_and_cleared(plan):
    method = methods()[METHOD]
    item = f'{method["stages"][0]["id"]}.{method["stages"][0]["checklist"][0]["id"]}'
    tab = plan("en")
    tab.check(f'input[value="{item}"]')
    assert tab.evaluate("localStorage.length") == 0
    tab.check("[data-kb-remember]")
    assert tab.evaluate(f"localStorage.getItem('kb-plan:{METHOD}')") == f"done={item}"
    again = plan("en", context=tab.context)
    assert again.is_checked(f'input[value="{item}"]')
    again.click("[data-kb-action=clear]")
    assert not again.is_checked(f'input[value="{item}"]') and again.evaluate("localStorage.length") == 0


@pytest.mark.parametrize("state", ["done=nope,,%E0%A4&owner.x=1&due.diagnosis=2026-02-31", "%%%", "utm_source=x"])
def test_garbage_in_the_address_is_ignored(plan, state):
    tab = plan("uk", state=state)
    assert tab.problems == []
    assert tab.locator(".kb-checklist input:checked").count() == 0


def test_without_javascript_the_lists_print_and_no_control_shows(plan):
    tab = plan("uk", javascript=False)
    assert tab.locator(".kb-checklist input[type=checkbox]").count() == sum(len(s["checklist"]) for s in methods()[METHOD]["stages"])
    assert tab.locator("[data-kb-no-script]").is_visible()
    assert tab.locator("[data-kb-controls]").is_hidden() and tab.locator("[data-kb-progress]").is_hidden()
    assert tab.locator(".kb-copy-link").first.is_hidden()
