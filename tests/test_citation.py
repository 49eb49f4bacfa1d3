"""Cite this, print and hand out: the citation in each language with its BibTeX and CSL-JSON,
citation_* tags, CITATION.cff, the printed page (no controls, addresses written out, a QR code of
the permanent address) and the one-page practice card."""
import io
import json
import re
import subprocess
from pathlib import Path

import bibtexparser
import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT
from kb import KINDS, LANGUAGES
from kb.render import routes
from kb.site import Site
from kb.tools.browser import PREFIX

MATERIAL_BASE = Path(__import__("material").__file__).parent / "templates" / "base.html"
OUR_MAIN = ROOT / "docs" / "overrides" / "main.html"
SITE = Site.load(ROOT)
PRACTICE = "ozps-ngo-cooperation-lubelskie"


def html(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def record_pages(site: Path):
    """(lang, kind folder, id, relative path of index.html) of every record page in every language."""
    for lang in LANGUAGES:
        for folder in KINDS.values():
            for page in sorted((site / PREFIX[lang] / folder).glob("*/index.html")):
                if 'http-equiv="refresh"' not in page.read_text(encoding="utf-8"):
                    yield lang, folder, page.parent.name, page.relative_to(site).as_posix()


def test_site_nav_override_is_materials_block_with_the_navigation_made_once_per_folder():
    """Our site_nav block is Material's, character for character, but for the call that reuses
    the navigation of pages it does not list (kb plugin: kb_nav)."""
    theirs = MATERIAL_BASE.read_text(encoding="utf-8")
    ours = OUR_MAIN.read_text(encoding="utf-8")
    start = "{% block site_nav %}"
    block = theirs[theirs.index(start):theirs.index("{% endblock %}", theirs.index(start))]
    assert ours[ours.index(start):ours.index("{% endblock %}", ours.index(start))] == block.replace(
        '{% include "partials/nav.html" %}', "{{ kb_nav() }}")


def test_site_meta_override_is_materials_block_without_per_language_alternates():
    """Our site_meta block is Material's with the hreflang alternates (whose sitemap requests
    404ed) left out, a page's own canonical address allowed, and citation tags and the feed added."""
    theirs = MATERIAL_BASE.read_text(encoding="utf-8")
    block = theirs[theirs.index("{% block site_meta %}"):theirs.index("{% endblock %}", theirs.index("{% block site_meta %}"))]
    block = re.sub(r"\s*{% if config.extra.alternate is iterable %}.*?{% endif %}", "", block, flags=re.S)
    block = re.sub(r"\s*{% if \"rss\" in config.plugins %}.*?{% endif %}", "", block, flags=re.S)
    ours = OUR_MAIN.read_text(encoding="utf-8")
    ours = ours[ours.index("{% block site_meta %}"):ours.index("{% endblock %}", ours.index("{% block site_meta %}"))]
    ours = ours.replace('''      {% if page.meta and page.meta.canonical %}
        <link rel="canonical" href="{{ page.meta.canonical }}">
      {% elif page.canonical_url %}''', '''      {% if page.canonical_url %}''')
    ours = ours[:ours.index("      {% if page and page.meta and page.meta.citation %}")].replace(" | e }}", " }}")
    assert " ".join(ours.split()) == " ".join(block.split())


def test_every_record_page_cites_itself_with_its_permanent_address_in_the_readers_language(bundled_site):
    site = bundled_site / "site"
    version = {"pl": "wersja z", "uk": "версія від", "en": "version of"}
    pages = list(record_pages(site))
    assert len(pages) >= 3 * 20
    for lang, folder, record_id, relative in pages:
        page = html(site, relative)
        address = f"{SITE.url}{PREFIX[lang]}{folder}/{record_id}/"
        citation = page.select_one("#kb-citation").get_text(" ", strip=True)
        assert address in citation and version[lang] in citation and SITE.names[lang] in citation, relative
        assert page.select_one('link[rel="canonical"]')["href"] == address
        meta = {tag["name"]: tag["content"] for tag in page.select('meta[name^="citation_"]')}
        assert meta["citation_fulltext_html_url"] == address and meta["citation_language"] == lang
        assert meta["citation_title"] and re.fullmatch(r"\d{4}/\d{2}/\d{2}", meta["citation_publication_date"])
        # The downloads sit beside the page, where its links point.
        for link in page.select(".kb-cite-tools a[download]"):
            assert (site / relative).parent.joinpath(link["href"]).is_file(), (relative, link["href"])
        # Without JavaScript the copy button (it needs it) is not shown.
        assert page.select_one("[data-kb-copy-text]").has_attr("hidden")


def test_bibtex_and_csl_json_parse_and_agree_with_the_page(bundled_site):
    site = bundled_site / "site"
    for lang, folder, record_id, relative in record_pages(site):
        folder_path = (site / relative).parent
        library = bibtexparser.parse_string((folder_path / "cite.bib").read_text(encoding="utf-8"))
        assert not library.failed_blocks, relative
        (entry,) = library.entries
        fields = {field.key: field.value for field in entry.fields}
        assert entry.entry_type == "online" and fields["url"] == f"{SITE.url}{PREFIX[lang]}{folder}/{record_id}/"
        (csl,) = json.loads((folder_path / "cite.json").read_text(encoding="utf-8"))
        assert csl["type"] == "webpage" and csl["URL"] == fields["url"] and csl["language"] == lang
        assert csl["title"] == html(site, relative).select_one('meta[name="citation_title"]')["content"]
        assert "-".join(f"{part:02d}" for part in csl["issued"]["date-parts"][0]) == fields["date"]  # first published
        assert csl["version"] == fields["version"] >= fields["date"]  # the version: its last update


def test_bibtex_escapes_what_would_break_it():
    from kb.render.citation import bibtex_value
    assert bibtex_value("50% & {x} #1_a ~ \\") == r"50\% \& \{x\} \#1\_a \textasciitilde{} \textbackslash{}"
    library = bibtexparser.parse_string("@online{x,\n  title = {" + bibtex_value("a } b { % c") + "}\n}\n")
    assert not library.failed_blocks


def test_citation_cff_validates_and_names_the_published_address():
    cffconvert = ROOT / ".venv-cff" / "bin" / "cffconvert"
    assert cffconvert.exists(), "cffconvert is missing: ./dev test installs it into .venv-cff"
    result = subprocess.run([str(cffconvert), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["url"] == SITE.url


def qr_matrix(svg: str) -> list:
    """The dark modules of segno's one-path SVG (scale 1), read back as rows of booleans."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg, re.I).group(1))  # BeautifulSoup writes viewbox
    rows = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, *numbers in re.findall(r"([Mmhv])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", re.search(r' d="([^"]+)"', svg).group(1)):
        first = float(numbers[0])
        if command == "M":
            x, y = first, float(numbers[1])
        elif command == "m":
            x, y = x + first, y + float(numbers[1])
        elif command == "h":
            for column in range(int(x), int(x + first)):
                rows[int(y)][column] = True
            x += first
    return rows


def decode_qr(rows: list, folder: Path) -> str:
    """What a real reader (zbarimg, from Debian's zbar-tools) reads from the modules, drawn black on
    white at 4 pixels a module with a margin of 4 modules."""
    from PIL import Image
    scale, margin, size = 4, 4, len(rows)
    image = Image.new("1", ((size + 2 * margin) * scale,) * 2, 1)
    for y, row in enumerate(rows, margin):
        for x, dark in enumerate(row, margin):
            if dark:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    path = folder / "qr.png"
    image.save(path)
    result = subprocess.run(["zbarimg", "--raw", "--quiet", str(path)], capture_output=True, text=True)
    return result.stdout.strip()


def test_qr_codes_with_the_fixed_mask_decode_at_every_address_length(tmp_path):
    """The mask is fixed (render.citation.QR_MASK) instead of chosen per code: codes of every
    version the site's addresses need still read back."""
    from kb.render.citation import qr_code
    base = "https://dobre-praktyki.github.io/uk/practices/"
    for length in range(1, 120, 7):
        address = base + ("hromada-social-services-" * 6)[:length].strip("-") + "/"
        assert decode_qr(qr_code(address).matrix, tmp_path) == address, length


def test_the_qr_code_of_every_printed_page_decodes_to_its_permanent_address(bundled_site, tmp_path):
    """Read back from the page's SVG and decoded by a real QR reader, not by re-encoding."""
    site = bundled_site / "site"
    checked = 0
    for relative in [page for *_, page in record_pages(site)] + [f"{PREFIX[lang]}handouts/{PRACTICE}/index.html" for lang in LANGUAGES]:
        page = html(site, relative)
        svg = page.select_one("svg.kb-qr")
        address = page.select_one(".kb-print-url").get_text(strip=True)
        assert decode_qr(qr_matrix(str(svg)), tmp_path) == address, relative
        assert svg["role"] == "img" and address in svg["aria-label"]
        checked += 1
    assert checked > 60


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_practice_card_prints_on_exactly_one_a4_page(browser, base_url, bundled_site, lang):
    practices = sorted((bundled_site / "practices").glob("*.yml"))
    assert len(practices) >= 10
    page = browser.new_page()
    try:
        for practice in practices:
            page.goto(f"{base_url}{PREFIX[lang]}handouts/{practice.stem}/", wait_until="load")
            assert page.evaluate("document.documentElement.lang") == lang
            pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
            assert len(pdf.pages) == 1, practice.stem
            width, height = (float(value) for value in pdf.pages[0].mediabox[2:])
            assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points (Chromium rounds to whole pixels)
    finally:
        page.close()


def test_a_printed_record_shows_no_controls_and_writes_its_links_out(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url + "uk/standards/family-friendly-municipality/", wait_until="load")
        page.emulate_media(media="print")
        visible = page.evaluate("""() => [...document.querySelectorAll(
            '.md-header, .md-sidebar, .md-footer, button, .kb-cite-tools, .kb-header-search')]
            .filter(element => element.offsetParent !== null).map(element => element.outerHTML.slice(0, 80))""")
        assert visible == []
        assert page.locator(".kb-print-meta").is_visible() and page.locator(".kb-print-meta svg.kb-qr").is_visible()
        footer = page.locator(".kb-print-meta").inner_text()
        assert "https://dobre-praktyki.github.io/uk/standards/family-friendly-municipality/" in footer and "Версія від" in footer
        # An internal link shows its permanent address, an external one its own.
        internal = page.evaluate("""() => { const link = document.querySelector('.md-content a[href^="../../themes/"]');
            return getComputedStyle(link, '::after').content; }""")
        assert "https://dobre-praktyki.github.io/uk/themes/" in internal
        external = page.evaluate("""() => { const link = document.querySelector('.md-content a[href^="http"]');
            return [link.getAttribute('href'), getComputedStyle(link, '::after').content]; }""")
        assert external[0] in external[1]
        # A criterion is kept on one page; headings stay with what follows.
        assert page.evaluate("getComputedStyle(document.querySelector('.kb-criterion')).breakInside") == "avoid"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-content h4')).breakAfter") == "avoid"
    finally:
        page.close()


def test_copy_citation_copies_the_text_and_says_so(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        tab = context.new_page()
        tab.goto(base_url + f"en/practices/{PRACTICE}/", wait_until="load")
        button = tab.locator("[data-kb-copy-text]")
        assert button.is_visible()
        button.click()
        tab.wait_for_function("document.querySelector('[data-kb-cite-status]').textContent.length > 0")
        assert tab.locator("[data-kb-cite-status]").inner_text() == "Citation copied."
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied == " ".join(tab.locator("#kb-citation").inner_text().split())
        assert f"https://dobre-praktyki.github.io/en/practices/{PRACTICE}/" in copied
    finally:
        context.close()


def test_every_printed_page_of_a_record_names_the_site_its_address_and_version(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(base_url + "en/acts/pl-social-assistance-act/", wait_until="load")
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        assert len(pdf.pages) > 3
        for number, sheet in enumerate(pdf.pages, start=1):
            text = " ".join(sheet.extract_text().split())
            assert "dobre-praktyki.github.io/en/acts/pl-social-assistance-act/" in text.replace(" ", ""), number
            assert "Version of" in text and f"{number} / {len(pdf.pages)}" in text, number
    finally:
        page.close()


def test_the_print_footer_is_a_safe_css_string():
    """A site name or address with quotes or angle brackets cannot end the CSS string or the <style>."""
    from kb.render import Renderer
    from kb.load import load_tree
    from kb.model import build_model
    from kb.schemas import Schemas
    from kb.site import Site as SiteFacts
    from conftest import FIXTURE
    kb = build_model(load_tree(FIXTURE)[0], Schemas(FIXTURE / "schemas"))
    site = SiteFacts('https://example.org/"a"/', {lang: 'Baza "x" </style><script>' for lang in LANGUAGES})
    renderer = Renderer(kb, Schemas(FIXTURE / "schemas"), None, site=site)
    page = renderer.page("practices/ngo-pilot.pl.md", "pl")
    footer = json.loads(str(page.print_footer(kb.get("practice", "ngo-pilot"))).split(": ", 1)[1])
    assert footer.startswith('"') and footer.endswith('"') and '"' not in footer[1:-1] and "<" not in footer
    assert "\\3c /style\\3e " in footer and "\\22 x\\22 " in footer
