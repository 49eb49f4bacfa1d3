"""The self-assessment page and the standard page in headless Chromium, on the bundled site:
answering, the verdict and what helps, the answers in the address and in local storage, the
printed report (A4, page.pdf), the CSV, garbage addresses, and the page without JavaScript."""
import csv
import io
import re

import pytest
import yaml

from conftest import ROOT, open_tab
from kb.render.routes import URL_PREFIX

STANDARD = "social-work-service-standard"
CRITERIA = [c["id"] for c in yaml.safe_load((ROOT / "standards" / f"{STANDARD}.yml").read_text(encoding="utf-8"))["criteria"]]
EXTENDED = ["first-contact-time-limit", "regular-supervision", "user-feedback", "ngo-cooperation-agreements", "community-work"]
MANDATORY = [c for c in CRITERIA if c not in EXTENDED]


@pytest.fixture
def assessment(browser, base_url):
    contexts = []

    def open_(lang="en", state="", width=1280, javascript=True, context=None):
        if context is None:
            context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                          accept_downloads=True)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
            contexts.append(context)
        return open_tab(context, f"{base_url}{URL_PREFIX[lang]}self-assessment/{STANDARD}/{'#' + state if state else ''}")
    yield open_
    for context in contexts:
        context.close()


def answer(tab, criterion: str, value: str):
    tab.check(f'#{criterion} input[value="{value}"]')


def verdict(tab) -> str:
    return tab.inner_text("[data-kb-verdict]")


def checked(tab) -> dict:
    return tab.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.kb-criterion input:checked')]
        .map(input => [input.closest('fieldset').id, input.value]))""")


def test_answering_gives_the_verdict_with_its_reason_and_what_helps(assessment):
    tab = assessment("en")
    assert "not complete" in verdict(tab) and "12 criteria not answered" in verdict(tab).replace("12 of 12", "12")
    for criterion in CRITERIA:
        answer(tab, criterion, "met")
    answer(tab, "local-resource-map", "not-met")
    answer(tab, "ngo-cooperation-agreements", "not-met")
    answer(tab, "community-work", "na")
    words = verdict(tab)
    assert "The standard is not met." in words
    assert "Mandatory criteria: 6 of 7 met, 7 needed — condition fails" in words
    assert "Extended criteria: 3 of 4 met, 3 needed (1 not applicable) — condition holds" in words
    next_steps = tab.locator("[data-kb-next]")
    assert next_steps.is_visible()
    assert next_steps.locator(".kb-next__criterion").count() == 2
    links = next_steps.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert any(link.endswith("/en/practices/ozps-ngo-cooperation-lubelskie/") for link in links)
    assert any(link.endswith("/en/recommendations/ozps-ngo-participation/") for link in links)
    # what helps shows beside the criteria not met, and only there
    assert tab.locator('[data-kb-helps="local-resource-map"]').is_visible()
    assert tab.locator('[data-kb-helps="case-record"]').is_hidden()
    answer(tab, "local-resource-map", "met")
    assert "The standard is met." in verdict(tab)  # extended: 3 of 4 is enough
    answer(tab, "ngo-cooperation-agreements", "met")
    assert "No criterion is marked as not met." in next_steps.inner_text()
    assert tab.get_attribute("[data-kb-verdict]", "aria-live") == "polite"
    assert tab.problems == []


def test_the_address_reopens_the_same_assessment(assessment):
    tab = assessment("pl")
    for criterion in MANDATORY:
        answer(tab, criterion, "met")
    answer(tab, "user-feedback", "not-met")
    answer(tab, "regular-supervision", "na")
    tab.fill("#note-user-feedback", "Ankieta planowana na 2027 r. & \"cudzysłów\"")
    tab.fill("#kb-institution", "MOPS w Przykładowie")
    tab.fill("#kb-date", "2026-12-01")
    tab.wait_for_function("() => location.hash.includes('date=')")  # the address is written a moment after a change
    address, before = tab.url, checked(tab)
    assert "met=" in address and "institution=" in address
    again = assessment("pl", state=address.split("#", 1)[1])
    assert checked(again) == before
    assert again.input_value("#note-user-feedback") == "Ankieta planowana na 2027 r. & \"cudzysłów\""
    assert again.input_value("#kb-institution") == "MOPS w Przykładowie"
    assert again.input_value("#kb-date") == "2026-12-01"
    assert verdict(again) == verdict(tab)
    assert tab.problems == again.problems == []


def test_a_criterion_added_after_the_link_was_made_is_simply_unanswered(assessment):
    state = "met=" + ",".join(CRITERIA[:-1])  # as if the last criterion had not existed then
    tab = assessment("en", state=state)
    assert len(checked(tab)) == len(CRITERIA) - 1
    assert "1 of 12 criteria not answered" in verdict(tab)
    assert tab.problems == []


@pytest.mark.parametrize("state", ["met=zzz,,%E0%A4%A&na=&note.x=1&date=not-a-date&&&==",
                                   "%%%", "met=" + "a" * 10000, "constructor=met&__proto__=x&note.constructor=1",
                                   "not-met=case-record&met=case-record"])
def test_garbage_in_the_address_is_ignored_without_an_error(assessment, state):
    tab = assessment("uk", state=state)
    assert tab.problems == []
    assert len(checked(tab)) <= 1
    assert tab.locator("[data-kb-verdict-box]").is_visible()


def test_answers_kept_in_this_browser_only_when_asked_and_cleared_visibly(assessment):
    tab = assessment("en")
    answer(tab, "case-record", "not-met")
    assert tab.evaluate("localStorage.length") == 0  # nothing kept unless asked
    tab.check("[data-kb-remember]")
    assert tab.evaluate(f"localStorage.getItem('kb-assess:{STANDARD}')") == "not-met=case-record"
    again = assessment("en", context=tab.context)  # a new tab without the address
    assert checked(again) == {"case-record": "not-met"}
    assert again.is_checked("[data-kb-remember]")
    again.click("[data-kb-action=clear]")
    assert checked(again) == {}
    assert again.evaluate("localStorage.length") == 0
    assert "#" not in again.url
    again.wait_for_function("() => document.querySelector('[data-kb-announce]').textContent.includes('cleared')")
    assert again.problems == []


def test_copy_link_copies_the_assessment_address(assessment, base_url):
    tab = assessment("en")
    answer(tab, "case-record", "met")
    tab.click("[data-kb-action=copy]")
    tab.wait_for_function("() => document.querySelector('[data-kb-announce]').textContent.length > 0")
    assert tab.evaluate("navigator.clipboard.readText()") == f"{base_url}en/self-assessment/{STANDARD}/#met=case-record"


def test_the_answers_download_as_csv(assessment):
    tab = assessment("en")
    answer(tab, "case-record", "met")
    answer(tab, "plan-review", "not-met")
    tab.fill("#note-plan-review", "=HYPERLINK(\"x\")")
    tab.fill("#kb-institution", "Centre, \"North\"")
    with tab.expect_download() as download:
        tab.click("[data-kb-action=csv]")
    data = download.value.path().read_bytes().decode("utf-8")
    assert data.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(data[1:])))
    assert rows[0] == ["Institution", "Assessor", "Date of the assessment", "No.", "Identifier", "Area", "Level",
                       "Criterion", "Answer", "Notes"]
    assert len(rows) == 1 + len(CRITERIA)
    by_id = {row[4]: row for row in rows[1:]}
    assert by_id["case-record"][8] == "met" and by_id["plan-review"][8] == "not met" and by_id["user-feedback"][8] == "not answered"
    assert by_id["plan-review"][9] == "'=HYPERLINK(\"x\")"  # never a formula in a spreadsheet
    assert by_id["case-record"][0] == "Centre, \"North\""
    assert by_id["case-record"][7].startswith("Every case has records")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_printed_report_is_a_clean_a4_of_at_most_two_pages(assessment, width):
    tab = assessment("pl", width=width)
    for position, criterion in enumerate(CRITERIA):
        answer(tab, criterion, ["met", "not-met", "na"][position % 3])
        tab.fill(f"#note-{criterion}", "Uwaga do kryterium, dość długa, by zająć miejsce w tabeli odpowiedzi.")
    tab.fill("#kb-institution", "Miejski Ośrodek Pomocy Społecznej w Przykładowie")
    tab.fill("#kb-assessor", "Anna Kowalska")
    tab.fill("#kb-date", "2026-12-01")
    tab.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".kb-assess-form", ".kb-assess-controls", ".md-footer"):
        assert not tab.locator(hidden).first.is_visible(), hidden
    head = tab.inner_text("[data-kb-report-head]")
    assert "Miejski Ośrodek Pomocy Społecznej w Przykładowie" in head and "2026-12-01" in head and "Anna Kowalska" in head
    assert tab.locator("[data-kb-report-answers] tbody tr").count() == len(CRITERIA)
    assert tab.locator("[data-kb-verdict]").is_visible() and tab.locator("[data-kb-next]").is_visible()
    pdf = tab.pdf(format="A4", print_background=True)
    pages = int(re.search(rb"/Type\s*/Pages\b[^>]*?/Count (\d+)", pdf, re.S).group(1)) \
        if re.search(rb"/Type\s*/Pages\b[^>]*?/Count (\d+)", pdf, re.S) else int(re.findall(rb"/Count (\d+)", pdf)[0])
    assert 1 <= pages <= 2
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert media_box and abs(float(media_box.group(1)) - 595) < 2 and abs(float(media_box.group(2)) - 842) < 2  # A4 in points


def test_without_javascript_a_checklist_to_print_and_no_control(assessment):
    tab = assessment("uk", javascript=False)
    assert tab.locator("fieldset.kb-criterion").count() == len(CRITERIA)
    assert tab.locator("fieldset.kb-criterion legend").count() == len(CRITERIA)
    assert tab.locator('fieldset.kb-criterion input[type="radio"]').count() == 3 * len(CRITERIA)
    assert tab.locator("[data-kb-no-script]").is_visible()
    for control in ("[data-kb-controls]", "[data-kb-verdict-box]", "[data-kb-next]"):
        assert tab.locator(control).is_hidden(), control
    assert tab.locator('[data-kb-helps="ngo-cooperation-agreements"] a').count() == 2  # what helps, on paper too
    rule = tab.inner_text("#rule + p + ul")
    assert "щонайменше 3 з 5" in rule
    tab.emulate_media(media="print")
    assert tab.locator(".kb-assess-form").is_visible()  # without the script, the form itself prints


def test_keyboard_answers_a_criterion_and_the_verdict_follows(assessment):
    tab = assessment("en")
    tab.focus('#case-record input[value="met"]')
    tab.keyboard.press("Space")
    assert checked(tab) == {"case-record": "met"}
    tab.keyboard.press("ArrowRight")  # arrows move within the criterion's own group
    assert checked(tab) == {"case-record": "not-met"}
    assert "The standard is not met." in verdict(tab)


def test_the_standard_page_groups_criteria_by_area_and_links_each_one(assessment, base_url):
    context = assessment("en").context
    tab = context.new_page()
    tab.goto(f"{base_url}en/standards/{STANDARD}/", wait_until="load")
    areas = tab.locator("h3[id^=area-]").evaluate_all("headings => headings.map(h => h.id)")
    assert areas == ["area-access", "area-assessment", "area-staff", "area-documentation", "area-evaluation",
                     "area-ngo-cooperation"]
    assert "at least 3 of 5" in tab.inner_text("#rule ~ ul")
    button = tab.locator("#local-resource-map + .kb-tools .kb-copy-link")
    button.click()
    tab.wait_for_function("() => document.querySelector('[data-kb-announce]').textContent.length > 0")
    assert tab.evaluate("navigator.clipboard.readText()") == f"{base_url}en/standards/{STANDARD}/#local-resource-map"
    tab.click(f"a[href$='self-assessment/{STANDARD}/']")
    assert tab.url.endswith(f"/en/self-assessment/{STANDARD}/")


def test_a_shared_link_does_not_overwrite_the_answers_remembered_here(assessment):
    tab = assessment("en")
    tab.check("[data-kb-remember]")
    answer(tab, "case-record", "met")
    stored = tab.evaluate(f"localStorage.getItem('kb-assess:{STANDARD}')")
    assert stored == "met=case-record"
    shared = assessment("en", state="na=plan-review", context=tab.context)
    assert checked(shared) == {"plan-review": "na"}  # the link shows its own answers …
    assert shared.evaluate(f"localStorage.getItem('kb-assess:{STANDARD}')") == stored  # … and keeps those remembered
    other = assessment("en", state="utm_source=newsletter", context=tab.context)  # '=' but no answers: not an assessment
    assert checked(other) == {"case-record": "met"}
    assert other.problems == []


def test_an_in_page_link_keeps_the_answers_in_the_address(assessment):
    tab = assessment("en")
    answer(tab, "local-resource-map", "not-met")
    tab.click("[data-kb-next] h3 a")  # "what to do next" links to the criterion
    tab.wait_for_function("() => location.hash.includes('not-met=local-resource-map')")
    assert checked(assessment("en", state=tab.url.split("#", 1)[1], context=tab.context)) == {"local-resource-map": "not-met"}


def test_typing_a_note_does_not_make_the_verdict_speak_again(assessment):
    tab = assessment("en")
    answer(tab, "case-record", "met")
    tab.evaluate("""() => { window.kbRewrites = 0;
        new MutationObserver(() => window.kbRewrites++).observe(document.querySelector('[data-kb-verdict]'), {childList: true}); }""")
    tab.type("#note-case-record", "fourteen chars")
    assert tab.evaluate("window.kbRewrites") == 0
    answer(tab, "plan-review", "not-met")
    assert tab.evaluate("window.kbRewrites") == 1
