"""Content is data, never code, and reaches nothing outside the knowledge base: hand-written
pages are not templates, caches are not pickles, and every file read or written on content's
behalf is a regular file inside the knowledge base (kb.files)."""
import hashlib
import hmac
import json
import os
import pickle
import random
import signal
import threading
from contextlib import contextmanager

import pytest

from conftest import FIXTURE, make_project, run_kb


@contextmanager
def within(seconds: int):
    """Fail instead of hanging (a FIFO read would block forever)."""
    def stop(*_):
        raise TimeoutError(f"took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _issues(root, *args):
    code, out, err = run_kb("--root", root, "validate", "--format", "json", *args)
    assert "Traceback" not in out + err and "internal error" not in err
    return code, json.loads(out)["issues"]


# -- the parse cache -----------------------------------------------------------------------

class _Payload:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_in_the_cache_folder_is_never_unpickled(kb_copy, tmp_path):
    payload = _Payload()
    payload.marker = tmp_path / "ran"
    (kb_copy / "build" / "cache").mkdir(parents=True, exist_ok=True)
    for name in ("parsed.pickle", "parsed.json"):
        (kb_copy / "build" / "cache" / name).write_bytes(pickle.dumps((1, payload)))
    code, issues = _issues(kb_copy)
    assert code == 0 and not (tmp_path / "ran").exists()


def _entry_for(kb, record, data):
    digest = hashlib.sha256((kb / record).read_bytes()).hexdigest()
    return json.dumps([2, {digest: [data, [], []]}], separators=(",", ":")).encode()


def test_a_planted_or_foreign_cache_is_ignored_and_rebuilt(kb_copy):
    """A cache committed with the contribution (or made on another machine) could pass off data
    that is not in the file: it is signed with a key kept outside the knowledge base."""
    forged = {"id": "ngo-pilot", "title": "forged"}
    body = _entry_for(kb_copy, "practices/ngo-pilot.yml", forged)
    cache = kb_copy / "build" / "cache" / "parsed.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    for signature in (b"0" * 64, hmac.new(b"another machine's key" + bytes(11), body, hashlib.sha256).hexdigest().encode()):
        cache.write_bytes(signature + b"\n" + body)
        code, issues = _issues(kb_copy)
        assert not any("forged" in json.dumps(issue) for issue in issues)
        assert not any(issue["file"] == "practices/ngo-pilot.yml" and issue["code"] == "schema.required" for issue in issues)
    from kb.load import ParseCache
    assert ParseCache(cache).entries and all(entry[0] != forged for entry in ParseCache(cache).entries.values())  # rebuilt, signed


def test_the_cache_round_trips_what_the_loader_made(kb_copy, tmp_path):
    from kb.load import ParseCache, load_tree
    first, _ = load_tree(kb_copy, cache := ParseCache(tmp_path / "c.json"))
    cache.save()
    again, _ = load_tree(kb_copy, ParseCache(tmp_path / "c.json"))
    for kind, documents in first.records.items():
        for before, after in zip(documents, again.records[kind]):
            assert (before.data, before.positions, before.key_positions) == (after.data, after.positions, after.key_positions)


# -- hand-written pages --------------------------------------------------------------------

TEMPLATE_ATTACKS = ["{{ ''.__class__.__mro__[1].__subclasses__() }}",
                    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
                    "{% for x in range(10**12) %}x{% endfor %}", "{{ 7*7 }}"]


def test_a_hand_written_page_is_not_a_template(kb_copy, tmp_path):
    page = kb_copy / "docs/pages/about.pl.md"
    attacks = [attack.replace("MARKER", str(tmp_path / "ran")) for attack in TEMPLATE_ATTACKS]
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\n\n" + "\n\n".join(attacks) + "\n\n{{ self._TemplateReference__context }}\n", encoding="utf-8")
    with within(60):
        code, issues = _issues(kb_copy)
    line = original.count("\n") + 2 * len(attacks) + 3
    assert [(i["file"], i["line"], i["code"]) for i in issues if i["file"].startswith("docs/")] == [
        ("docs/pages/about.pl.md", line, "page.placeholder")]  # a name, but not a placeholder's
    page.write_text(original + "\n\n" + "\n\n".join(attacks) + "\n", encoding="utf-8")
    with within(60):
        code, out, err = run_kb("--root", kb_copy, "build", "--docs-only")
    assert code == 0, out + err
    built = (kb_copy / "build/docs/pl/about.md").read_text(encoding="utf-8")
    assert all(attack in built for attack in attacks)  # shown as written
    assert not (tmp_path / "ran").exists()


def test_only_named_placeholders_are_filled_in(kb_copy):
    page = kb_copy / "docs/pages/contributing.en.md"
    assert "{{ field_reference.practice }}" in page.read_text(encoding="utf-8")
    code, out, err = run_kb("--root", kb_copy, "build", "--docs-only")
    built = (kb_copy / "build/docs/en/en/contributing.md").read_text(encoding="utf-8")
    assert code == 0 and "{{" not in built and "| `title` |" in built


def _link_outside(kb, tmp_path, relative):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT\n", encoding="utf-8")
    (kb / relative).unlink(missing_ok=True)
    (kb / relative).symlink_to(secret)
    return "file.symlink"


def _fifo(kb, tmp_path, relative):
    (kb / relative).unlink(missing_ok=True)
    os.mkfifo(kb / relative)
    return "file.special"


def _huge(kb, tmp_path, relative):
    (kb / relative).write_bytes(b"a" * (8 * 2**20))
    return "file.too_large"


def _device(kb, tmp_path, relative):
    (kb / relative).unlink(missing_ok=True)
    (kb / relative).symlink_to("/dev/zero")  # a link to a device: refused as a link before anything is read
    return "file.symlink"


SPECIAL = {"link outside": _link_outside, "fifo": _fifo, "huge": _huge, "device": _device}


@pytest.mark.parametrize("make", SPECIAL)
def test_a_hand_written_page_that_is_not_a_regular_file_is_refused(make, kb_copy, tmp_path):
    relative = "docs/pages/about.uk.md"
    expected = SPECIAL[make](kb_copy, tmp_path, relative)
    with within(30):
        code, issues = _issues(kb_copy)
        build_code, out, err = run_kb("--root", kb_copy, "build", "--docs-only")
    assert code == 1 and build_code == 1
    assert [(issue["file"], issue["code"]) for issue in issues if issue["file"].startswith("docs/")] == [(relative, expected)]
    assert "SECRET-CONTENT" not in json.dumps(issues) + out + err
    assert not (kb_copy / "build/docs/uk/uk/about.md").exists()


def test_a_linked_pages_folder_is_refused(kb_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    (kb_copy / "docs/pages").rename(outside)
    (kb_copy / "docs/pages").symlink_to(outside)
    code, issues = _issues(kb_copy)
    assert code == 1 and {issue["code"] for issue in issues if issue["file"].startswith("docs/")} == {"file.symlink"}


@pytest.mark.parametrize("make", SPECIAL)
def test_an_excerpt_that_is_not_a_regular_file_is_refused_where_a_record_names_it(make, kb_copy, tmp_path):
    """No oracle on files outside: the quotation is not checked against what a link points to."""
    expected = SPECIAL[make](kb_copy, tmp_path, "excerpts/raport-z-pilotazu.txt")
    with within(30):
        code, issues = _issues(kb_copy)
    found = [issue for issue in issues if issue["file"] == "practices/ngo-pilot.yml" and issue["code"].startswith("file.")]
    assert code == 1 and [issue["code"] for issue in found] == [expected]
    assert found[0]["line"] == 40 and "excerpts/raport-z-pilotazu.txt" in found[0]["message"]
    assert not any(issue["code"].startswith("source.quote") for issue in issues)


@pytest.mark.parametrize("make", ["link outside", "fifo", "huge"])
def test_synonyms_that_are_not_a_regular_file_are_refused(make, tmp_path):
    from kb.search_words import SynonymsError, load_synonyms
    root = make_project(tmp_path / "kb", FIXTURE)
    expected = SPECIAL[make](root, tmp_path, "synonyms.yml")
    with within(30), pytest.raises(SynonymsError) as refused:
        load_synonyms(root)
    assert str(refused.value).startswith(f"synonyms.yml:1:1: {expected}:") and "SECRET" not in str(refused.value)


# -- files the tool writes -----------------------------------------------------------------

def test_kb_new_does_not_write_through_a_link(kb_copy, tmp_path):
    target = tmp_path / "outside.yml"
    (kb_copy / "practices" / "new-one.yml").symlink_to(target)  # dangling: exists() says no
    code, out, err = run_kb("--root", kb_copy, "new", "practice", "new-one")
    assert code == 1 and not target.exists() and "Traceback" not in out + err


def test_kb_new_does_not_write_into_a_linked_folder(kb_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    (kb_copy / "methods").rename(outside)
    (kb_copy / "methods").symlink_to(outside)
    code, out, err = run_kb("--root", kb_copy, "new", "method", "new-one")
    assert code == 1 and not (outside / "new-one.yml").exists()
    assert "methods: " in err or "methods:1:1: file.symlink" in err


def test_kb_generate_does_not_write_through_a_link(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    target = tmp_path / "outside.json"
    (root / ".vscode").mkdir(exist_ok=True)
    (root / ".vscode/settings.json").unlink(missing_ok=True)
    (root / ".vscode/settings.json").symlink_to(target)
    code, out, err = run_kb("--root", root, "generate")
    assert code == 1 and not target.exists() and ".vscode/settings.json:1:1: file.symlink" in out


def test_write_is_one_step_and_a_failure_leaves_the_old_file(tmp_path, monkeypatch):
    from kb import files
    root = tmp_path.resolve()
    (root / "a.yml").write_text("old\n", encoding="utf-8")
    real_replace = os.replace

    def full_disk(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(files.Refused) as refused:
        files.write_text(root / "a.yml", root, "new\n")
    monkeypatch.setattr(os, "replace", real_replace)
    assert refused.value.issue.code == "file.unwritable" and "No space left" in refused.value.issue.message
    assert (root / "a.yml").read_text(encoding="utf-8") == "old\n" and sorted(p.name for p in root.iterdir()) == ["a.yml"]


@pytest.mark.parametrize("path", ["../outside.yml", "/etc/passwd", "practices/../../x.yml", "."])
def test_paths_outside_the_knowledge_base_are_refused(path, tmp_path):
    from kb import files
    root = (tmp_path / "kb").resolve()
    root.mkdir()
    for operation in (lambda p: files.read_bytes(p, root), lambda p: files.write_text(p, root, "x")):
        with pytest.raises(files.Refused) as refused:
            operation(root / path if not path.startswith("/") else __import__("pathlib").Path(path))
        assert refused.value.issue.code == "file.outside"
    assert not (tmp_path / "outside.yml").exists() and not (tmp_path / "x.yml").exists()


# -- the HTML of hand-written pages --------------------------------------------------------

HTML_ATTACKS = ["<script>alert('page')</script>", '<img src="x" onerror="alert(1)">',
                "## Heading {: onclick=\"alert(2)\" }", "[a link](javascript:alert(3))",
                '<a href="javascript:alert(4)">x</a>', '<iframe src="https://example.org"></iframe>',
                '<div markdown="1" style="position:fixed;top:0">**x**</div>', "<svg onload=alert(5)>",
                '<form action="https://example.org"><input name="p"></form>']


def test_html_in_a_hand_written_page_is_sanitised(tmp_path):
    from bs4 import BeautifulSoup
    root = make_project(tmp_path / "kb", FIXTURE)
    page = root / "docs/pages/about.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(HTML_ATTACKS) + "\n", encoding="utf-8")
    code, out, err = run_kb("--root", root, "build")
    assert code == 0, out + err
    article = BeautifulSoup((root / "site/en/about/index.html").read_text(encoding="utf-8"), "html.parser").find("article")
    assert article.find(["script", "iframe", "svg", "form", "input"]) is None
    for element in article.find_all(True):
        assert not any(name.startswith("on") or name == "style" for name in element.attrs), element
        assert not str(element.get("href", "")).lower().startswith("javascript")
    assert "Heading" in article.get_text() and article.find("h2", id="heading") is not None  # the rest kept


# -- fuzz: pages, excerpts and synonyms of any shape --------------------------------------

PIECES = ["{{", "}}", "{%", "%}", "{#", "{{ field_reference.practice }}", "{{ x }}", "<script>", "</div>", "\x00", "\x07",
          "\u202e", "\u2028", "\ufeff", "# h", "> " * 50, "- " * 30, "[a](b)", "|a|b|\n|-|-|", "```", "\n", "é" * 3, "\udcff"]


def test_hand_written_pages_and_excerpts_of_any_shape_never_crash(tmp_path):
    rng = random.Random(24)
    root = make_project(tmp_path / "kb", FIXTURE)
    page, excerpt = root / "docs/pages/about.pl.md", root / "excerpts/raport-z-pilotazu.txt"
    original_page, original_excerpt = page.read_bytes(), excerpt.read_bytes()
    for round_ in range(25):
        for path, original in ((page, original_page), (excerpt, original_excerpt)):
            text = original.decode("utf-8")
            for _ in range(rng.randint(1, 6)):
                at = rng.randrange(len(text) + 1)
                text = text[:at] + rng.choice(PIECES) + text[at:]
            path.write_bytes(text.encode("utf-8", "surrogateescape") if rng.random() < 0.8 else os.urandom(rng.randint(0, 300)))
        with within(60):
            code, out, err = run_kb("--root", root, "build", "--docs-only")
        assert code in (0, 1) and "Traceback" not in out + err and "internal error" not in err, (round_, err)


def test_synonyms_of_any_shape_are_refused_with_a_place_or_read(tmp_path):
    from kb.search_words import SynonymsError, load_synonyms
    rng = random.Random(7)
    root = make_project(tmp_path / "kb", FIXTURE)
    shapes = ["", "pl", "pl: x", "pl: [x]", "pl: [[x]]", "pl: [[a, b]]", "xx: [[a, b]]", "pl: [[a, 1]]", "- a", "pl: {a: b}",
              "pl: [[a, b]]\npl: [[c, d]]", "!!python/object:os.system x", "&a [1]\nb: *a", "\t", "pl: [[a, ' ']]",
              "{{ 7*7 }}", "pl: [[a, b]]\n" * 3, "\x00", "\xff"]
    for round_ in range(60):
        text = "".join(rng.choice(shapes) + rng.choice(["", "\n"]) for _ in range(rng.randint(1, 3)))
        (root / "synonyms.yml").write_bytes(text.encode("utf-8", "replace"))
        try:
            data = load_synonyms(root)
        except SynonymsError as refused:
            assert str(refused.value if hasattr(refused, "value") else refused).startswith("synonyms.yml:")
        else:
            assert isinstance(data, dict) and all(len(group) >= 2 for groups in data.values() for group in groups)


# -- what the site is made from besides records: assets, theme overrides, mkdocs.yml ---------

@pytest.mark.parametrize("folder", ["docs/assets", "docs/overrides"])
@pytest.mark.parametrize("make", ["link outside", "fifo"])
def test_assets_and_theme_overrides_are_regular_files(folder, make, tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    expected = SPECIAL[make](root, tmp_path, f"{folder}/planted.html")
    with within(30):
        code, issues = _issues(root)
        build_code, out, err = run_kb("--root", root, "build")
    assert code == 1 and build_code == 1 and not (root / "site").exists()
    assert (f"{folder}/planted.html", expected) in [(issue["file"], issue["code"]) for issue in issues]
    assert "SECRET" not in out + err


def test_mkdocs_yml_names_no_code(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    config = root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    for added, code, line in (("hooks:\n  - evil.py\n", "site.hooks", 1),
                              ("extra_css: !!python/name:os.system\n", "site.config", original.count("\n") + 1)):
        config.write_text(original + added, encoding="utf-8")
        exit_code, issues = _issues(root)
        assert exit_code == 1 and [(i["file"], i["code"], i["line"]) for i in issues if i["file"] == "mkdocs.yml"] == [("mkdocs.yml", code, line)]


@pytest.mark.parametrize("name", ["index", "themes", "about", "lpt1", "con", "practices", "ok\n"])
def test_kb_new_refuses_the_sites_own_names_and_broken_ids(name, kb_copy):
    code, out, err = run_kb("--root", kb_copy, "new", "practice", name)
    assert code == 2 and not list((kb_copy / "practices").glob(f"{name.strip()}*.yml")) and "Traceback" not in err


# -- found by a hostile-input run after the first fixes ----------------------------------

def test_a_hand_written_page_cannot_pass_as_the_tools_own_html_or_set_the_tools_front_matter(tmp_path):
    from bs4 import BeautifulSoup
    root = make_project(tmp_path / "kb", FIXTURE)
    whole = root / "docs/pages/about.uk.md"
    whole.write_text("<!--kb:html-->\n<script>alert(3)</script>\n<!--kb:/html-->\n", encoding="utf-8")
    code, out, err = run_kb("--root", root, "build")
    assert code == 0, out + err
    article = BeautifulSoup((root / "site/uk/about/index.html").read_text(encoding="utf-8"), "html.parser").find("article")
    assert article.find("script") is None and "alert(3)" not in str(article.find_all("script"))
    page = root / "docs/pages/about.pl.md"
    original = page.read_text(encoding="utf-8")
    for key in ("kb_source: x", 'print_footer: "x; } </style><script>alert(1)</script>"', "template: redirect.html",
                'jsonld: "x"', "hide: [navigation]"):
        page.write_text(original.replace("---\n", f"---\n{key}\n", 1), encoding="utf-8")
        code, issues = _issues(root)
        assert code == 1 and [(i["line"], i["code"]) for i in issues if i["file"] == "docs/pages/about.pl.md"] == [(2, "page.front_matter_key")]


@pytest.mark.parametrize("relative", ["excerpts/raport-z-pilotazu.txt", "docs/pages/about.en.md", "taxonomy.yml", "glossary.yml",
                                      "mkdocs.yml", "synonyms.yml"])
def test_a_folder_where_a_file_belongs_is_a_located_error(relative, tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    (root / relative).unlink()
    (root / relative / "x").mkdir(parents=True)
    code, out, err = run_kb("--root", root, "validate")
    assert code == 1 and "Traceback" not in out + err and "internal error" not in err
    assert any(relative in line and "file.special" in line for line in out.splitlines()), out
    for command in (("translations", "import", root / relative), ("from-issue", root / relative)):
        code, out, err = run_kb("--root", root, *command)
        assert code == 1 and "Traceback" not in out + err and "file.special" in out


def test_a_pasted_list_of_any_length_is_answered_in_a_screenful(kb_copy):
    path = kb_copy / "practices" / "ngo-pilot.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("themes: [", "themes: [" + "x, " * 100_000, 1), encoding="utf-8")
    with within(60):
        code, issues = _issues(kb_copy)
    assert code == 1 and [i["code"] for i in issues if i["file"] == "practices/ngo-pilot.yml"] == ["yaml.too_many_items"]
    path.write_text(original.replace("themes: [", "themes: [" + "x, " * 1_000, 1), encoding="utf-8")
    code, issues = _issues(kb_copy)
    mine = [i for i in issues if i["file"] == "practices/ngo-pilot.yml"]
    assert len(mine) == 101 and mine[-1]["code"] == "report.more" and "901 more problems" in mine[-1]["message"]  # 1,000 unknown terms and one repeated-entry


def test_synonyms_are_checked_by_validate_and_cannot_forge_report_lines(tmp_path):
    root = make_project(tmp_path / "kb", FIXTURE)
    with open(root / "synonyms.yml", "a", encoding="utf-8") as synonyms:
        synonyms.write('"en\\npractices/fake.yml:1:1: forged.code: FORGED (ok)\\n1 error":\n  - [a, b]\n')
    code, out, err = run_kb("--root", root, "validate")
    assert code == 1 and "synonyms.yml:" in out and "synonyms.shape" in out
    assert not any(line.startswith("practices/fake.yml") for line in (out + err).splitlines())


def test_hidden_characters_in_a_hand_written_page_are_located(kb_copy):
    page = kb_copy / "docs/pages/about.en.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nSee [x](missing\x1b[2K\rdocs/pages/about.en.md:1:1: FORGED.md).\n", encoding="utf-8")
    code, issues = _issues(kb_copy)
    line = text.count("\n") + 2
    assert code == 1 and [(i["line"], i["code"]) for i in issues if i["file"] == "docs/pages/about.en.md"] == [
        (line, "page.hidden_character"), (line, "page.hidden_character")]


@pytest.mark.parametrize("character", ["\u00ad", "\u034f", "\u115f", "\u3164", "\ufe0f", "\uffa0", "\u17b4", "\u180b"])
def test_more_invisible_characters_are_refused_in_titles(character, kb_copy):
    path = kb_copy / "practices" / "ngo-pilot.yml"
    text = path.read_text(encoding="utf-8")
    import re as re_
    title = re_.search(r"title: \{pl: ([^,}]+)", text) or re_.search(r"  pl: (.+)", text)
    path.write_text(text.replace(title.group(1), title.group(1)[:3] + character + title.group(1)[3:], 1), encoding="utf-8")
    code, issues = _issues(kb_copy)
    assert code == 1 and "text.hidden_character" in [i["code"] for i in issues if i["file"] == "practices/ngo-pilot.yml"]


def test_a_line_separator_in_a_record_file_is_refused(kb_copy):
    """The YAML parser reads U+2028 as a line break, YAML 1.2 and git as text: a comment could hide a field."""
    path = kb_copy / "practices" / "ngo-pilot.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nlang:", "\n# checked by the editor\u2028featured: true\nlang:", 1), encoding="utf-8")
    code, issues = _issues(kb_copy)
    assert code == 1 and [i["code"] for i in issues if i["file"] == "practices/ngo-pilot.yml"] == ["yaml.line_separator"]
