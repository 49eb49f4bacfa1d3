"""`kb bench`: generate synthetic knowledge bases, build them, and print figures.
Speed is judged from this output, never asserted in tests."""
from __future__ import annotations

import gzip
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .. import KINDS, LANGUAGES
from ..build import SITE_DIR, run_mkdocs, write_languages
from ..load import ParseCache, load_tree
from ..model import build_model
from ..render import Renderer, render_site, routes
from ..render.generators import FAMILIES
from ..schemas import Schemas
from ..validate import validate_tree
from .browser import PREFIX, chromium, served
from .synthetic import ARTICLES, SOURCE, WORDS, civic_only, generate


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def preview_latency(root: Path, record: str, url_path: str, old: str, new: str, limit: float = 300,
                    listing: str = "", later: str = "") -> tuple:
    """Seconds from starting `kb serve` to the first page and (given `later`, a page the preview
    writes once it serves the rest: a handout) to that page too; from saving one record, once
    all is served, to the preview showing it, and (given a `listing`, a page that lists the
    record) to that page showing it too."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kb.cli", "--root", str(root), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/{url_path}"
    try:
        started = time.perf_counter()
        while old not in fetch(url):
            if time.perf_counter() - started > limit:
                raise TimeoutError("the preview did not start")
            time.sleep(0.2)
        startup = time.perf_counter() - started
        while later and old not in fetch(f"http://127.0.0.1:{port}/{later}"):
            if time.perf_counter() - started > limit:
                raise TimeoutError("the preview did not make its later pages")
            time.sleep(0.2)
        everything = time.perf_counter() - started
        time.sleep(2)  # let the server settle after its first build
        path = root / record
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        saved = time.perf_counter()
        shown = []
        for address in (url, *([f"http://127.0.0.1:{port}/{listing}"] if listing else [])):
            while new not in fetch(address):
                if time.perf_counter() - saved > limit:
                    raise TimeoutError("the edit did not reach the preview")
                time.sleep(0.1)
            shown.append(time.perf_counter() - saved)
        return startup, everything, shown[0], shown[1] if listing else None
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


SEARCH_QUERIES = 7
SEARCH_ENGINE = re.compile(r"/pagefind/(pagefind[^/]*\.js|wasm\.[^/]*)$")  # the engine, not the index


def search_bytes(site: Path, queries: list[str], lang: str = SOURCE, key: str = "search") -> dict:
    """What a browser downloads to answer one query in a fresh tab, as the header box does it
    (the first five results with their excerpts): index bytes (entry, metadata, index chunks,
    fragments) apart from the engine (Pagefind's script and WebAssembly, cached after the first
    visit). Median and largest over the queries; empty when Chromium is not available."""
    try:
        with served(site) as base, chromium() as browser:
            index, engine = [], []
            for query in queries:
                context = browser.new_context()  # a fresh cache for every query
                fetched: list = []
                # Pagefind fetches from a worker, so count at the network level, not in the page.
                context.on("requestfinished", lambda request: fetched.append(
                    (request.url, request.sizes()["responseBodySize"])) if "/pagefind/" in request.url else None)
                page = context.new_page()
                page.goto(base + PREFIX[lang] + "search/", wait_until="load")
                page.evaluate("query => window.kbSearch.top(query, {}, 5)", query)
                context.close()
                index.append(sum(size for url, size in fetched if not SEARCH_ENGINE.search(url)) / 1024)
                engine.append(sum(size for url, size in fetched if SEARCH_ENGINE.search(url)) / 1024)
    except RuntimeError as error:  # no Chromium or Playwright here: say so, measure the rest
        print(f"(search bytes not measured: {error})", file=sys.stderr)
        return {}
    return {f"{key}_query_kb": statistics.median(index), f"{key}_query_max_kb": max(index),
            f"{key}_engine_kb": statistics.median(engine)}


HROMADA_QUERY = "громадах"


HROMADA = re.compile(r"\bгромад(?:а|и|і|у|ою|о|ам|ами|ах)?\b", re.I)  # a form of громада, never громадськ-


def civic_in_hromada_results(site: Path) -> dict:
    """The first ten Ukrainian results for "громадах": how many hold no form of громада in their
    indexed text, only civic (громадськ-) words, and so matched only through the conflation (0 is
    the requirement); and how many are the few records written about hromadas
    (synthetic.civic_only). Every practice page holds the label "Тип громади", so a civic
    practice may rightly match."""
    try:
        with served(site) as base, chromium() as browser:
            page = browser.new_page()
            page.goto(base + "uk/search/", wait_until="load")
            found = page.evaluate("query => window.kbSearch.top(query, {}, 10)", HROMADA_QUERY)
    except RuntimeError as error:
        print(f"(hromada check not run: {error})", file=sys.stderr)
        return {}
    civic = hromada = 0
    for result in found:
        text = (site / result["url"].strip("/") / "index.html").read_text(encoding="utf-8")
        body = re.sub(r"<[^>]+>", " ", text.split("data-pagefind-body", 1)[-1])
        civic += not HROMADA.search(body)
        record = re.search(r"/practice-(\d+)/", result["url"])
        hromada += bool(record) and not civic_only(int(record.group(1)))
    return {"civic_in_hromada_results": civic, "hromada_in_hromada_results": hromada}


# Page families timed on their own as well (they are part of "render"): name in the report → families.
ALONE = {"render_assessment": ("self-assessment",),
         "render_trainers": ("citations", "practice handouts", "feeds", "what changed", "sitemap"),
         "render_exports": ("open data",), "render_statistics": ("statistics",),
         "render_catalogues": ("catalogues", "browse"),
         "render_translation_status": ("translation status",)}
THROTTLING = 4  # Chromium's CPU throttling rate for a phone-class CPU (DevTools' "mid-tier mobile")
NARROWINGS = 5  # rounds of choices timed: tick a theme, a target group, type a word letter by letter, undo it all

# One reader's input, timed as the reader waits for it: from the event (a click on a checkbox,
# which ticks it and fires input and change; a letter typed into the text filter) through the
# page's handlers to the page laid out again. Returns ms.
INPUT = """([selector, letters]) => {
  const target = document.querySelector(selector);
  const began = performance.now();
  if (letters === null) { target.click(); } else {
    target.value = letters;
    target.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertText"}));
  }
  void document.body.offsetHeight;
  return performance.now() - began;
}"""


def narrowing(page, word: str) -> list[float]:
    """ms per input over NARROWINGS rounds, with the facets open as a reader choosing has them."""
    page.evaluate("() => { document.querySelector('[data-kb-facets]').open = true; }")
    themes = page.eval_on_selector_all('input[name="theme"]', "boxes => boxes.map(box => box.value)")
    groups = page.eval_on_selector_all('input[name="target_group"]', "boxes => boxes.map(box => box.value)")
    times = []
    for n in range(NARROWINGS):
        theme = f'input[name="theme"][value="{themes[n % len(themes)]}"]'
        group = f'input[name="target_group"][value="{groups[n % len(groups)]}"]'
        steps = [(theme, None), (group, None)] + [("#kb-catalogue-text", word[:end]) for end in range(1, len(word) + 1)]
        steps += [("#kb-catalogue-text", ""), (group, None), (theme, None)]
        for selector, letters in steps:
            times.append(page.evaluate(INPUT, [selector, letters]))
            page.wait_for_timeout(150)  # a reader's pace: the page writes its address between inputs
    return times


def catalogue_figures(site: Path) -> dict:
    """The practices' catalogue in the default language: the bytes of its facet data (the JSON
    the script reads, gzip-compressed as a server sends it) and of the whole page, how long each
    input takes to narrow it under CPU throttling (median and slowest), and how long "show all"
    takes with nothing chosen. Empty when Chromium is not available."""
    page_html = (site / KINDS["practice"] / "index.html").read_bytes()
    data = re.search(rb'<script type="application/json" data-kb-catalogue-data>(.*?)</script>', page_html, re.S).group(1)
    figures = {"facet_data_kb": len(gzip.compress(data)) / 1024, "facet_data_raw_kb": len(data) / 1024,
               "catalogue_page_kb": len(gzip.compress(page_html)) / 1024}
    try:
        with served(site) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + KINDS["practice"] + "/", wait_until="load")
            devtools = page.context.new_cdp_session(page)
            devtools.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLING})
            times = narrowing(page, WORDS[SOURCE][0])
            figures["narrow_ms"] = statistics.median(times)
            figures["narrow_p90_ms"] = statistics.quantiles(times, n=10)[-1]
            figures["narrow_max_ms"] = max(times)
            figures["show_all_ms"] = page.evaluate(INPUT, ["[data-kb-more]", None])
    except RuntimeError as error:
        print(f"(catalogue narrowing not measured: {error})", file=sys.stderr)
    return figures


def translation_sheets(root: Path) -> dict:
    """The translators' round trip on the corpus: export the Ukrainian sheet, import it unchanged."""
    import io

    from .. import sheets
    folder = root / "build" / "translations"
    code, export_s = _timed(sheets.export, root, "uk", folder, io.StringIO())
    assert code == 0, "the synthetic corpus exports"
    sheet = folder / "translations-uk.xlsx"
    code, import_s = _timed(sheets.import_sheet, root, sheet, io.StringIO())
    assert code == 0, "an unchanged export imports as no change"
    rows = sum(1 for _ in open(sheet.with_suffix(".csv"), encoding="utf-8-sig")) - 1
    return {"sheet_export": export_s, "sheet_import": import_s, "sheet_rows": rows, "sheet_kb": sheet.stat().st_size / 1024}


HUGO_LAYOUT = ('<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
               '<body><main><h1>{{ .Title }}</h1>{{ .Content }}{{ range .Pages }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}'
               '</main></body></html>')


def sanitiser_worst_case(length: int = 20_000) -> dict:
    """The slowest record text the validator lets through, rendered from Markdown and sanitised
    (markup.markdown_to_html, then plain_text as feeds and cards use it): quotations and lists
    nested as deep as allowed, lists nested by indentation, runs of emphasis and brackets, and
    characters that must be escaped, each `length` characters long. The time of the slowest."""
    from ..render import markup
    from ..validate.rules import MAX_MARKDOWN_DEPTH
    opening = "> " * (MAX_MARKDOWN_DEPTH // 2) + "- " * (MAX_MARKDOWN_DEPTH - MAX_MARKDOWN_DEPTH // 2)
    shapes = {
        "nested containers": (opening + "x\n") * (length // (len(opening) + 2)),
        "nested by indentation": "".join(" " * (2 * depth) + "- x\n" for depth in range(int((length / 1.0) ** 0.5))),
        "emphasis": "*a **b " * (length // 7),
        "brackets": "[" * (length // 2) + "](" * (length // 4),
        "escapes": "<&\"'>" * (length // 5),
        "autolinks": "https://a.b/" * (length // 12),
    }
    seconds = {}
    for name, text in shapes.items():
        started = time.perf_counter()
        markup.markdown_to_html.__wrapped__(text[:length])
        markup.plain_text(text[:length] + " ")  # not memoised: a text of its own
        seconds[name] = time.perf_counter() - started
    worst = max(seconds, key=seconds.get)
    print(f"(sanitiser's worst case: {worst}, {seconds[worst] * 1000:.0f} ms for {length:,} characters)", file=sys.stderr)
    return {"sanitiser_worst_ms": seconds[worst] * 1000, "sanitiser_chars": length}


def raw_engine(pages: int, workdir: Path) -> dict:
    """For scale: Hugo (Debian's package) building the same number of pages from Markdown with
    one bare template and no theme, timed in the same run. Each page has a title and five
    paragraphs of the synthetic vocabulary. Nothing when hugo is not installed."""
    hugo = shutil.which("hugo")
    if hugo is None:
        print("(raw-engine row skipped: hugo is not installed; on Debian: apt-get install hugo)", file=sys.stderr)
        return {}
    site = workdir / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "http://127.0.0.1/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "404", "robotsTXT"]\n')
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(HUGO_LAYOUT)
    words = WORDS[SOURCE]
    for number in range(pages - 1):  # and the home page
        draw = random.Random(number)
        paragraphs = "\n\n".join(" ".join(draw.choice(words) for _ in range(60)) for _ in range(5))
        (site / "content" / f"page-{number}.md").write_text(f"---\ntitle: Strona {number}\n---\n\n{paragraphs}\n")
    result, seconds = _timed(subprocess.run, [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")])
    if result.returncode != 0:
        return {}
    return {"hugo": seconds, "hugo_pages": sum(1 for _ in (site / "public").rglob("*.html"))}


def bench_one(project: Path, practices: int, workdir: Path, preview: bool) -> dict:
    root = workdir / f"kb-{practices}"
    counts = generate(root, practices, project)
    figures: dict = {"practices": practices, "records": sum(counts.values())}
    schemas = Schemas(root / "schemas")
    cache = ParseCache()
    (tree, load_issues), figures["load"] = _timed(load_tree, root, cache)
    _, figures["compile"] = _timed(lambda: [schemas.compiled(kind) for kind in (*KINDS, "taxonomy")])
    issues, figures["validate"] = _timed(validate_tree, tree, schemas)
    assert not [i for i in load_issues + issues if i.severity == "error"], "the synthetic corpus must be valid"
    kb, figures["model"] = _timed(build_model, tree, schemas)
    files, figures["render"] = _timed(render_site, kb, schemas, root / routes.PAGES_DIR, LANGUAGES, os.cpu_count() or 1)
    figures["exports_mb"] = sum(len(content) for path, content in files.items()
                                if path.startswith(f"{routes.DATA_FOLDER}/") and not path.endswith(".md")) / 2**20
    charts = [len(content) for path, content in files.items() if path.endswith(".svg")]
    figures["largest_chart_kb"] = max(charts) / 1024
    figures["browse_pages"] = sum(1 for path in files if path.startswith(routes.BROWSE_FOLDER + "/"))
    _, figures["write"] = _timed(write_languages, files, root)
    result, figures["mkdocs"] = _timed(run_mkdocs, root, root / SITE_DIR)
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    (_, _), figures["load_again"] = _timed(load_tree, root, cache)
    figures["ours"] = sum(figures[stage] for stage in ("load", "compile", "validate", "model", "render", "write"))
    figures["total"] = figures["ours"] + figures["mkdocs"]
    figures["validate_per_s"] = figures["records"] / figures["validate"]
    figures["peak_ours_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_mkdocs_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    renderer = Renderer(kb, schemas, root / routes.PAGES_DIR)  # after the peak memory of the build is taken: not part of a build
    for key, names in ALONE.items():  # parts of render, timed alone in one process
        families = [family for family in FAMILIES if family.name in names]
        _, figures[key] = _timed(lambda: [renderer.pages(families)] + [family.make(renderer, files) for family in families if family.from_pages])
    figures.update(translation_sheets(root))
    site = root / SITE_DIR
    figures["pages"] = sum(1 for _ in site.rglob("*.html"))
    figures["pages_per_s"] = figures["pages"] / figures["total"]
    figures.update(raw_engine(figures["pages"], workdir))
    figures.update(sanitiser_worst_case(schemas.documents["common.schema.json"]["definitions"]["prose"]["maxLength"]))  # the longest Markdown text allowed
    if "hugo" in figures:
        figures["hugo_pages_per_s"] = figures["hugo_pages"] / figures["hugo"]
        figures["hugo_ratio"] = figures["hugo_pages_per_s"] / figures["pages_per_s"]
    figures["site_mb"] = _size(site) / 2**20
    practice_pages = [p.stat().st_size for p in (site / KINDS["practice"]).glob("*/index.html")]
    figures["median_practice_kb"] = statistics.median(practice_pages) / 1024
    act_pages = [p.stat().st_size for p in (site / KINDS["act"]).glob("*/index.html")]  # parallel text: every language
    figures["median_act_kb"] = statistics.median(act_pages) / 1024
    assessment_pages = [p.stat().st_size for p in (site / routes.ASSESSMENT_FOLDER).glob("*/index.html")]  # 12 criteria
    figures["median_assessment_kb"] = statistics.median(assessment_pages) / 1024
    method_pages = [p.stat().st_size for p in (site / KINDS["method"]).glob("*/index.html")]  # 8 stages
    figures["median_method_kb"] = statistics.median(method_pages) / 1024
    handout_pages = [p.stat().st_size for p in (site / routes.HANDOUT_FOLDER).glob("*/index.html")]
    figures["median_handout_kb"] = statistics.median(handout_pages) / 1024
    figures["feed_kb"] = max((site / routes.URL_PREFIX[lang] / "feed.xml").stat().st_size for lang in LANGUAGES) / 1024
    figures["sitemap_kb"] = (site / "sitemap.xml").stat().st_size / 1024
    indexed = re.search(r"Pagefind indexed the site in ([\d.]+) s", result.stdout + result.stderr)
    figures["pagefind"] = float(indexed.group(1)) if indexed else float("nan")
    figures["search_index_mb"] = _size(site / "pagefind") / 2**20
    figures.update(catalogue_figures(site))
    figures.update(search_bytes(site, [" ".join(random.Random(n).sample(WORDS[SOURCE], 2)) for n in range(SEARCH_QUERIES)]))
    # Ukrainian queries also fetch the lemma tables of their words (search_words.py).
    figures.update(search_bytes(site, [" ".join(random.Random(n).sample(WORDS["uk"], 2)) for n in range(SEARCH_QUERIES)],
                                "uk", "search_uk"))
    figures.update(civic_in_hromada_results(site))
    if preview:  # the preview serves the default language, in which the synthetic records are written
        practice = next(iter(kb.records["practice"].values()))
        title = practice.title[SOURCE]
        figures["preview_start"], figures["preview_all"], figures["preview_edit"], figures["preview_edit_listing"] = preview_latency(
            root, practice.path, routes.url(routes.record("practice", practice.id, SOURCE)), title, title + " zmiana",
            listing=routes.url(routes.catalogue("practice", SOURCE)), later=routes.url(routes.handout(practice.id, SOURCE)))
    return figures


ROWS = [
    ("practices", "practices (× 3 languages)", "{:.0f}"),
    ("records", "records of all kinds", "{:.0f}"),
    ("load", "load (YAML parse), s", "{:.2f}"),
    ("load_again", "load again, unchanged files (cache), s", "{:.2f}"),
    ("compile", "compile schema validators, s", "{:.2f}"),
    ("validate", "validate (schema + collection), s", "{:.2f}"),
    ("validate_per_s", "validation, records/s", "{:.0f}"),
    ("model", "model, s", "{:.2f}"),
    ("render", "render pages (HTML and Markdown), s", "{:.2f}"),
    ("render_assessment", "self-assessment pages alone, one process, s", "{:.2f}"),
    ("render_trainers", "citations, handouts, feeds, what's new, sitemap alone, one process, s", "{:.2f}"),
    ("render_exports", "open data (CSV, XLSX, JSON, datapackage) alone, s", "{:.2f}"),
    ("render_statistics", "statistics pages and SVG charts alone, s", "{:.2f}"),
    ("render_catalogues", "catalogues and pages per facet value alone, one process, s", "{:.2f}"),
    ("browse_pages", "pages per facet value (all kinds and languages)", "{:.0f}"),
    ("render_translation_status", "translation status pages alone, one process, s", "{:.2f}"),
    ("write", "write build/docs, s", "{:.2f}"),
    ("sanitiser_chars", "sanitiser's worst case: characters in one text", "{:.0f}"),
    ("sanitiser_worst_ms", "sanitiser's worst case: Markdown to clean HTML and plain text, ms", "{:.0f}"),
    ("mkdocs", "MkDocs build, s", "{:.1f}"),
    ("total", "total build, s", "{:.1f}"),
    ("ours_share", "our stages' share of the build", "{:.1%}"),
    ("peak_ours_mb", "peak memory, kb process, MB", "{:.0f}"),
    ("peak_mkdocs_mb", "peak memory, largest child process (render worker, MkDocs or Pagefind), MB", "{:.0f}"),
    ("pages", "HTML pages", "{:.0f}"),
    ("pages_per_s", "build speed, HTML pages/s (total build)", "{:.0f}"),
    ("hugo_pages", "raw Hugo build of as many pages: pages", "{:.0f}"),
    ("hugo", "raw Hugo build: s", "{:.2f}"),
    ("hugo_pages_per_s", "raw Hugo build: pages/s", "{:.0f}"),
    ("hugo_ratio", "raw Hugo is this many times faster per page", "{:.1f}×"),
    ("site_mb", "site size, MB", "{:.1f}"),
    ("median_practice_kb", "median practice page HTML, kB", "{:.1f}"),
    ("median_assessment_kb", "median self-assessment page HTML (12 criteria), kB", "{:.1f}"),
    ("median_method_kb", "median method guide page HTML (8 stages), kB", "{:.1f}"),
    ("median_handout_kb", "median practice card HTML (with its QR code), kB", "{:.1f}"),
    ("feed_kb", "Atom feed (largest language, one entry per record), kB", "{:.0f}"),
    ("sitemap_kb", "sitemap.xml (every page, every language, alternates), kB", "{:.0f}"),
    ("median_act_kb", f"median act page HTML ({ARTICLES} articles), kB", "{:.0f}"),
    ("catalogue_page_kb", "practices catalogue page, gzip, kB", "{:.0f}"),
    ("facet_data_raw_kb", "of which facet data, uncompressed, kB", "{:.1f}"),
    ("facet_data_kb", "of which facet data, gzip, kB", "{:.1f}"),
    ("narrow_ms", f"narrowing the catalogue, input to layout, CPU throttled {THROTTLING}x, median ms", "{:.1f}"),
    ("narrow_p90_ms", f"narrowing the catalogue, input to layout, CPU throttled {THROTTLING}x, 90th percentile ms", "{:.1f}"),
    ("narrow_max_ms", f"narrowing the catalogue, input to layout, CPU throttled {THROTTLING}x, slowest ms", "{:.1f}"),
    ("show_all_ms", f"catalogue's 'show all' (every record), CPU throttled {THROTTLING}x, ms", "{:.0f}"),
    ("pagefind", "of which Pagefind indexing (the word-form tables are written meanwhile), s", "{:.1f}"),
    ("search_index_mb", "search index on disk (all languages), MB", "{:.1f}"),
    ("search_query_kb", "search bytes fetched for one query (median), kB", "{:.0f}"),
    ("search_query_max_kb", "search bytes fetched for one query (largest), kB", "{:.0f}"),
    ("search_engine_kb", "search engine, fetched once (script + wasm), kB", "{:.0f}"),
    ("search_uk_query_kb", "search bytes for one Ukrainian query (median), kB", "{:.0f}"),
    ("search_uk_query_max_kb", "search bytes for one Ukrainian query (largest), kB", "{:.0f}"),
    ("hromada_in_hromada_results", "'громадах', first 10 results: records about hromadas", "{:.0f}"),
    ("civic_in_hromada_results", "'громадах', first 10 results: matched only through громадськ-", "{:.0f}"),
    ("exports_mb", "open data files (all languages), MB", "{:.1f}"),
    ("largest_chart_kb", "largest statistics chart (SVG), kB", "{:.1f}"),
    ("sheet_rows", "translators' sheet (uk): rows", "{:.0f}"),
    ("sheet_kb", "translators' sheet (uk): XLSX size, kB", "{:.0f}"),
    ("sheet_export", "kb translations export --lang uk (XLSX + CSV), s", "{:.1f}"),
    ("sheet_import", "kb translations import of it unchanged, s", "{:.1f}"),
    ("preview_start", "preview: start to first page, s", "{:.1f}"),
    ("preview_all", "preview: start to every page (handouts, pages per facet value …), s", "{:.1f}"),
    ("preview_edit", "preview: save to updated page, s", "{:.1f}"),
    ("preview_edit_listing", "preview: save to updated catalogue (after the page), s", "{:.1f}"),
]


def report(results: list[dict]) -> str:
    for figures in results:
        figures["ours_share"] = figures["ours"] / figures["total"]
    width = max(len(label) for _, label, _ in ROWS)
    lines = [f"Machine: {machine()}", ""]
    for key, label, fmt in ROWS:
        if any(key in figures for figures in results):
            cells = [fmt.format(figures[key]) if key in figures else "–" for figures in results]
            lines.append(f"{label:<{width}}  " + "  ".join(f"{cell:>9}" for cell in cells))
    for smaller, larger in zip(results, results[1:]):  # how the build grows with the knowledge base
        lines.append(f"total build {smaller['practices']} → {larger['practices']} practices: "
                     f"{larger['total'] / smaller['total']:.2f}× for {larger['practices'] / smaller['practices']:.1f}× the records")
    return "\n".join(lines)


def run(project: Path, sizes: list[int], preview: bool, keep: Path | None) -> int:
    workdir = keep or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    results = []
    for size in sizes:
        print(f"… {size} practices", file=sys.stderr, flush=True)
        results.append(bench_one(project, size, workdir, preview))
    print(report(results))
    if keep is None:
        subprocess.run(["rm", "-rf", str(workdir)])
    return 0
