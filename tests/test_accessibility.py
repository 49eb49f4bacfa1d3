"""WCAG 2.1 A/AA with axe-core in headless Chromium (Debian's package, driven by Playwright):
home, a catalogue, a practice, a standard and the act, in all three languages, at desktop
and phone width."""
import functools
import http.server
import threading

import pytest

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = ["", "practices/", "practices/ozps-ngo-cooperation-lubelskie/", "standards/family-friendly-municipality/",
         "acts/pl-social-assistance-act/"]
PREFIX = {"pl": "", "uk": "uk/", "en": "en/"}
WIDTHS = {"desktop": 1280, "phone": 360}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(bundled_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(bundled_site / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert AXE.exists(), "axe-core is missing: run `npm ci` (the README's test command does)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", PREFIX)
@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_21_aa_violations(browser, base_url, path, lang, width):
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 800})
    try:
        page.goto(base_url + PREFIX[lang] + path, wait_until="load")
        assert page.evaluate("document.documentElement.lang") == lang
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
        violations = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:5]) for v in result["violations"]]
        assert violations == []
    finally:
        page.close()


def test_single_key_shortcuts_are_off_but_typing_works(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url + "en/", wait_until="load")
        page.keyboard.press("s")  # Material would open search on 's' (WCAG 2.1.4)
        assert page.evaluate("document.activeElement.tagName") != "INPUT"
        assert not page.evaluate("document.getElementById('__search').checked")
    finally:
        page.close()


def test_wide_tables_can_be_scrolled_by_keyboard_on_a_phone(browser, base_url):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(base_url + "practices/", wait_until="load")
        page.wait_for_selector(".md-typeset__scrollwrap")
        assert page.evaluate("[...document.querySelectorAll('.md-typeset__scrollwrap')].every(w => w.tabIndex === 0)")
    finally:
        page.close()
