"""The editor's loop: the editor's schemas and settings, yamllint agreeing with the loader,
`kb validate FILE…`, `kb new`'s translations block, `kb build --strict`, and the preview showing
a failed save's errors on the page (headless Chromium) with a quiet terminal."""
import json
import os
import signal
import subprocess
import sys

import pytest
from playwright.sync_api import Error as PlaywrightError

from conftest import FIXTURE, ROOT, make_project, run_kb
from kb import KINDS
from kb.tools.bench import fetch, free_port
from test_accessibility import axe_violations
from test_serve import wait_for

YAMLLINT = [sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yml"), "--strict"]


def test_vscode_maps_every_record_folder_to_an_editor_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {glob for globs in settings["yaml.schemas"].values() for glob in globs}
    assert {f"{folder}/*.yml" for folder in KINDS.values()} <= mapped
    for schema in settings["yaml.schemas"]:
        assert (ROOT / schema).is_file(), schema


def test_editor_schemas_offer_the_taxonomy_terms_with_their_labels():
    schema = json.loads((ROOT / "schemas/editor/practice.schema.json").read_text(encoding="utf-8"))
    themes = schema["properties"]["themes"]["items"]
    assert "family-policy" in themes["enum"]
    assert themes["enumDescriptions"][themes["enum"].index("family-policy")] == "Polityka rodzinna / Сімейна політика / Family policy"
    assert "$ref" not in json.dumps(schema)  # self-contained: no look-ups for the editor to get wrong
    assert schema["properties"]["summary"]["description"]  # descriptions as the editor shows them on hover


def test_editor_schemas_accept_the_bundled_records():
    for kind, folder in KINDS.items():
        files = sorted(str(path) for path in (ROOT / folder).glob("*.yml"))
        result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                                 str(ROOT / "schemas/editor" / f"{kind}.schema.json"), *files], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint_accepts_every_record_kb_accepts():
    folders = [str(ROOT / folder) for folder in KINDS.values()] + [str(ROOT / "taxonomy.yml"), str(ROOT / "glossary.yml"),
                                                                    str(FIXTURE), str(ROOT / ".github")]
    result = subprocess.run(YAMLLINT + folders, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("text, rule", [("id: a\nid: b\n", "key-duplicates"), ("id: &x a\nlang: *x\n", None)])
def test_yamllint_and_kb_refuse_the_same_things(tmp_path, kb_copy, text, rule):
    record = kb_copy / "practices" / "bad.yml"
    record.write_text(text, encoding="utf-8")
    code, out, _ = run_kb("--root", kb_copy, "validate", record)
    assert code == 1
    if rule:
        result = subprocess.run(YAMLLINT + [str(record)], capture_output=True, text=True)
        assert result.returncode == 1 and rule in result.stdout


def test_yamllint_does_not_flag_yaml_12_text_that_kb_reads_as_text(tmp_path):
    record = tmp_path / "x.yml"
    # (yamllint's parser, unlike kb's, refuses an unquoted text ending in ? inside {…}: the guide says to quote it)
    record.write_text('answer: yes\nshort: {pl: "Co dalej?", en: What next}\nlist: [a, b]\nnumber: 0755\n', encoding="utf-8")
    result = subprocess.run(YAMLLINT + [str(record)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_pre_commit_runs_kb_validate_and_yamllint_on_changed_records():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: .venv/bin/kb validate\n" in config and "yamllint -c .yamllint.yml" in config
    assert "pass_filenames: false" not in config.split("id: kb-validate")[1].split("- id:")[0]  # the changed files
    assert (ROOT / ".editorconfig").is_file()


def test_validate_given_files_shows_only_their_problems(kb_copy):
    practice = kb_copy / "practices" / "ngo-pilot.yml"
    practice.write_text(practice.read_text(encoding="utf-8").replace("evidence: described", "evidence: describd"), encoding="utf-8")
    code, out, _ = run_kb("--root", kb_copy, "validate", practice)
    assert code == 1 and "practices/ngo-pilot.yml:" in out and "hromada-visit" not in out
    code, out, _ = run_kb("--root", kb_copy, "validate", kb_copy / "practices" / "hromada-visit.yml")
    assert code == 0 and "translation.stale" in out and "ngo-pilot" not in out  # a warning, not its neighbour's error
    code, out, _ = run_kb("--root", kb_copy, "validate", kb_copy / "mkdocs.yml")
    assert code == 1 and "file.not_a_record" in out


def test_validate_a_file_reports_collection_rules_that_concern_it(kb_copy):
    copy = kb_copy / "practices" / "copy.yml"
    copy.write_text((kb_copy / "practices" / "ngo-pilot.yml").read_text(encoding="utf-8").replace("id: ngo-pilot", "id: hromada-visit"),
                    encoding="utf-8")
    code, out, _ = run_kb("--root", kb_copy, "validate", copy)
    assert code == 1 and "record.id_mismatch" in out and "record.duplicate_id" in out


def test_new_writes_a_translations_block_and_explains_the_codes(kb_copy):
    code, out, _ = run_kb("--root", kb_copy, "new", "practice", "fresh")
    assert "countries are pl (Poland) and ua (Ukraine); languages are pl (Polish), uk (Ukrainian)" in out
    text = (kb_copy / "practices" / "fresh.yml").read_text(encoding="utf-8")
    assert "# translations:\n#   uk: {status: draft, source_hash: \"\"}\n#   en: {status: draft, source_hash: \"\"}" in text
    assert "Ukrainian text is uk, never ua" in text


def test_an_empty_required_list_is_reported(kb_copy):
    practice = kb_copy / "practices" / "ngo-pilot.yml"
    practice.write_text(practice.read_text(encoding="utf-8").replace("target_groups: [ngos]", "target_groups: []"), encoding="utf-8")
    code, out, _ = run_kb("--root", kb_copy, "validate", practice)
    assert code == 1 and "schema.empty: Target groups: must not be empty" in out
    assert "ngo-pilot.yml:32:16:" in out  # where the empty list is


def test_build_strict_fails_on_warnings(kb_copy):
    code, out, err = run_kb("--root", kb_copy, "build", "--strict", "--docs-only")
    assert code == 1 and "translation.stale" in out + err and "warnings count as errors" in err
    assert run_kb("--root", kb_copy, "build", "--docs-only")[0] == 0


def test_a_failed_save_shows_its_errors_on_the_previewed_page(tmp_path, browser):
    root = make_project(tmp_path / "kb", FIXTURE)
    port = free_port()
    log = tmp_path / "preview.log"
    with open(log, "w", encoding="utf-8") as stream:
        server = subprocess.Popen([sys.executable, "-m", "kb.cli", "--root", str(root), "serve", "--port", str(port), "--lang", "uk"],
                                  stdout=stream, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/practices/ngo-pilot/"
    try:
        assert wait_for(lambda: "Пілот співпраці" in fetch(url)), "the preview did not start"
        record = root / "practices" / "ngo-pilot.yml"
        record.write_text(record.read_text(encoding="utf-8").replace("evidence: described", "evidence: describd"), encoding="utf-8")
        assert wait_for(lambda: '"ok": false' in fetch(f"http://127.0.0.1:{port}/kb-preview.json")), "no status after the failed save"
        page = browser.new_page()

        def banner_shown() -> bool:  # the preview's live reload may interrupt a navigation: try again
            try:
                page.goto(url, wait_until="load")
                page.wait_for_selector(".kb-preview-errors", timeout=5000)
                return True
            except PlaywrightError:
                return False
        assert wait_for(banner_shown), "no banner on the page"
        banner = page.query_selector(".kb-preview-errors")
        assert banner.get_attribute("lang") == "uk" and banner.get_attribute("role") == "alert"
        assert "Попередній перегляд не оновлено" in banner.inner_text()
        assert "practices/ngo-pilot.yml:33:11: taxonomy.unknown_term" in page.inner_text(".kb-preview-errors pre")
        assert page.get_attribute(".kb-preview-errors pre", "lang") == "en"
        assert axe_violations(page) == []  # the banner too meets WCAG 2.1 AA
        record.write_text(record.read_text(encoding="utf-8").replace("evidence: describd", "evidence: described"), encoding="utf-8")
        assert wait_for(lambda: '"ok": true' in fetch(f"http://127.0.0.1:{port}/kb-preview.json")), "the status did not clear"

        def status_read_and_no_banner() -> bool:
            try:
                with page.expect_response(lambda response: "kb-preview.json" in response.url):
                    page.goto(url, wait_until="load")
                page.wait_for_timeout(500)  # the script has shown what it read by then
                return page.locator(".kb-preview-errors").count() == 0
            except PlaywrightError:
                return False
        assert wait_for(status_read_and_no_banner), "the banner stayed after the fix"
        page.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    terminal = log.read_text(encoding="utf-8")
    assert "taxonomy.unknown_term" in terminal and "Preview not updated" in terminal
    assert "not included in the" not in terminal and "'dirty' build" not in terminal
