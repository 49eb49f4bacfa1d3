"""`kb serve`: serves on 127.0.0.1 and shows an edited record without a restart.
Polls with a generous limit; how fast it is, is measured by the benchmark, not asserted here."""
import os
import signal
import subprocess
import sys
import time

from conftest import FIXTURE, make_project
from kb.tools.bench import fetch, free_port


def wait_for(predicate, limit: float = 90.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_preview_refreshes_when_a_record_changes(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kb.cli", "--root", str(root), "serve", "--port", str(port), "--lang", "en"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/standards/quality/"
    try:
        assert wait_for(lambda: "Quality standard" in fetch(url)), "the preview did not start"
        assert "livereload" in fetch(url)  # MkDocs injects the script that reloads the browser
        record = root / "standards" / "quality.yml"
        record.write_text(record.read_text(encoding="utf-8").replace("en: Quality standard", "en: Renamed standard"),
                          encoding="utf-8")
        assert wait_for(lambda: "Renamed standard" in fetch(url)), "the edit did not reach the preview"
        # Search works in the preview too: Pagefind re-indexes the preview's pages after each build.
        index = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        assert wait_for(lambda: '"en"' in fetch(index)), "the preview has no search index"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_incremental_refresh_equals_a_full_render(tmp_path):
    from kb.build import ASSETS, check, language_layout, with_assets
    from kb.render import Renderer
    from kb.schemas import Schemas
    from kb.serve import Previewer
    root = make_project(tmp_path / "kb", FIXTURE)
    previewer = Previewer(root, "en")
    assert previewer.refresh()
    for path, old, new in [("practices/ngo-pilot.yml", "en: NGO cooperation pilot", "en: Renamed pilot"),
                           ("standards/quality.yml", "level: extended", "level: mandatory"),
                           ("acts/sample-act.yml", "short_title: {pl: Ustawa,", "short_title: {pl: Ustawka,")]:
        record = root / path
        record.write_text(record.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        assert previewer.refresh(only_records_changed=True)
        full = language_layout(with_assets(Renderer(check(root).kb, Schemas(root / "schemas"), root / "docs/pages", ("en",)).render(),
                                           root / ASSETS), "en", prefix="")
        assert previewer.written == full, path
    assert "Renamed pilot" in (root / "build/preview/en/docs/standards/quality.md").read_text(encoding="utf-8")


def test_preview_starts_on_the_pages_readers_reach_first(tmp_path):
    """MkDocs starts on the records, catalogues and sections; the handouts, the pages per facet
    value and the checklists follow, and then the preview holds exactly what a full render makes."""
    from kb.build import ASSETS, check, language_layout, with_assets
    from kb.render import Renderer
    from kb.schemas import Schemas
    from kb.serve import Previewer
    root = make_project(tmp_path / "kb", FIXTURE)
    previewer = Previewer(root, "en")
    docs = previewer.docs
    seen = {}

    def between():
        seen["record"] = (docs / "practices" / "ngo-pilot.md").is_file()
        seen["later"] = [path for path in ("handouts/ngo-pilot.md", "self-assessment/quality.md") if (docs / path).is_file()]
        seen["browse"] = (docs / "browse").is_dir()
    assert previewer.refresh(between=between)
    assert seen == {"record": True, "later": [], "browse": False}
    full = language_layout(with_assets(Renderer(check(root).kb, Schemas(root / "schemas"), root / "docs/pages", ("en",)).render(),
                                       root / ASSETS), "en", prefix="")
    assert previewer.written == full
    assert (docs / "handouts" / "ngo-pilot.md").is_file() and (docs / "sitemap.xml").is_file()


def test_a_full_refresh_removes_the_pages_of_a_deleted_record(tmp_path):
    from kb.serve import Previewer
    root = make_project(tmp_path / "kb", FIXTURE)
    previewer = Previewer(root, "en")
    assert previewer.refresh()
    pages = [previewer.docs / "practices" / "hromada-visit.md", previewer.docs / "handouts" / "hromada-visit.md"]
    assert all(page.is_file() for page in pages)
    (root / "practices" / "hromada-visit.yml").unlink()  # nothing else in the fixture refers to it
    assert previewer.refresh()
    assert not any(page.exists() for page in pages)
    assert "practices/hromada-visit.md" not in previewer.written and "handouts/hromada-visit.md" not in previewer.written
