"""Stage 1: reading YAML with YAML 1.2 semantics, positions, and every kind of broken input."""
import random

from kb.load import load_file, load_tree, parse_text


def test_yaml_12_scalars_stay_text():
    document, issues = parse_text("a: no\nb: yes\nc: 2024-01-01\nd: on\ne: 012\nf: 1.5\ng: ~\nh: true\n", "x.yml")
    assert issues == []
    assert document.data == {"a": "no", "b": "yes", "c": "2024-01-01", "d": "on", "e": 12, "f": 1.5, "g": None, "h": True}


def test_positions_of_values_and_keys():
    document, _ = parse_text("id: x\ntitle:\n  pl: Tytuł\nlist:\n  - a\n  - b\n", "x.yml")
    assert document.positions[("title", "pl")] == (3, 7)
    assert document.key_positions[("title",)] == (2, 1)
    assert document.positions[("list", 1)] == (6, 5)
    assert document.position(("title", "uk")) == (2, 1)  # falls back to the nearest known parent


def test_duplicate_key_names_both_lines():
    _, issues = parse_text("id: a\ntitle: x\ntitle: y\n", "x.yml")
    assert [(i.code, i.line, i.col) for i in issues] == [("yaml.duplicate_key", 3, 1)]
    assert "first on line 2" in issues[0].message


def test_object_constructing_tags_are_refused():
    for text in ("a: !!python/object/apply:os.system [ls]\n", "a: !!python/name:os.system\n", "a: !custom 1\n",
                 "a: !!binary aGVsbG8=\n"):
        document, issues = parse_text(text, "x.yml")
        assert document is None and issues[0].code == "yaml.forbidden_tag", text


def test_aliases_are_refused():
    _, issues = parse_text("a: &x [1, 2]\nb: *x\n", "x.yml")
    assert issues[0].code == "yaml.alias"


def test_syntax_errors_have_positions():
    _, issues = parse_text("a: [1, 2\nb: 3\n", "x.yml")
    assert issues[0].code == "yaml.syntax" and issues[0].line == 2


def test_empty_and_multi_document_files():
    assert parse_text("", "x.yml")[1][0].code == "yaml.empty"
    assert parse_text("# only a comment\n", "x.yml")[1][0].code == "yaml.empty"
    assert parse_text("a: 1\n---\nb: 2\n", "x.yml")[1][0].code == "yaml.multiple_documents"


def test_encodings(tmp_path):
    (tmp_path / "bom.yml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    (tmp_path / "latin2.yml").write_bytes("a: 1\nb: gęś\n".encode("iso-8859-2"))
    (tmp_path / "utf16.yml").write_bytes("a: 1\n".encode("utf-16"))
    assert load_file(tmp_path / "bom.yml", tmp_path)[0].data == {"a": 1}
    _, issues = load_file(tmp_path / "latin2.yml", tmp_path)
    assert [(i.code, i.line, i.col) for i in issues] == [("file.encoding", 2, 5)]
    assert load_file(tmp_path / "utf16.yml", tmp_path)[1][0].code == "file.encoding"


def test_control_character_position():
    _, issues = parse_text("a: 1\nb: x\x01y\n", "x.yml")
    assert (issues[0].code, issues[0].line, issues[0].col) == ("yaml.control_character", 2, 5)


def test_tree_flags_wrong_extension_and_remembers_unreadable_files(kb_copy):
    (kb_copy / "practices" / "draft.yaml").write_text("id: draft\n", encoding="utf-8")
    (kb_copy / "practices" / "broken.yml").write_text("id: [\n", encoding="utf-8")
    tree, issues = load_tree(kb_copy)
    assert {i.code for i in issues} == {"file.extension", "yaml.syntax"}
    assert "broken" in tree.unreadable["practice"]


def test_random_garbage_never_raises():
    rng = random.Random(20261123)
    seeds = ["id: a\ntitle: {pl: x}\nlist: [1, 2]\n", "a:\n  - b: 'c'\n    d: \"e\"\n", "? a\n: b\n"]
    alphabet = list(":-[]{}'\"&*!|>#%@`\n\t ,?") + ["\x00", "\x85", "\ufeff", "é", "\udcff"]
    for _ in range(3000):
        text = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            text.insert(rng.randrange(len(text) + 1), rng.choice(alphabet))
        document, issues = parse_text("".join(text), "x.yml")  # must return, never raise
        assert (document is None) == bool(issues)


def test_unchanged_files_are_parsed_once(kb_copy, monkeypatch, tmp_path):
    from kb import load
    cache = load.ParseCache(tmp_path / "cache.pickle")
    first, _ = load_tree(kb_copy, cache)
    cache.save()
    calls = []
    original = load.parse_text
    monkeypatch.setattr(load, "parse_text", lambda *args: calls.append(args[1]) or original(*args))
    (kb_copy / "practices" / "ngo-pilot.yml").write_text(
        (kb_copy / "practices" / "ngo-pilot.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again, _ = load_tree(kb_copy, load.ParseCache(tmp_path / "cache.pickle"))  # from disk, as a new run would
    assert calls == ["practices/ngo-pilot.yml"]
    assert [d.data for d in again.records["standard"]] == [d.data for d in first.records["standard"]]


def test_a_damaged_cache_is_ignored(kb_copy, tmp_path):
    from kb.load import ParseCache
    (tmp_path / "cache.pickle").write_bytes(b"not a pickle")
    tree, issues = load_tree(kb_copy, ParseCache(tmp_path / "cache.pickle"))
    assert issues == [] and len(tree.records["practice"]) == 2


def test_nesting_limit_is_the_same_with_and_without_the_pre_scan():
    """40 nested lists under a field pass, 41 do not, whether or not the file is large enough
    (over 5,000 brackets and dashes) to be pre-scanned before composing."""
    from kb.yaml12 import MAX_DEPTH
    padding = "# " + "-" * 6000 + "\n"
    for extra in ("", padding):
        for depth, ok in ((MAX_DEPTH - 1, True), (MAX_DEPTH, False)):
            text = extra + "a: " + "[" * depth + "]" * depth + "\n"
            document, issues = parse_text(text, "x.yml")
            assert (document is not None) == ok, (len(extra), depth, issues)
            if not ok:
                assert [i.code for i in issues][:1] == ["yaml.too_deep"]


def test_the_parse_cache_is_written_only_when_it_changed(kb_copy, tmp_path):
    from kb.load import ParseCache
    cache_file = tmp_path / "cache.pickle"
    load_tree(kb_copy, cache := ParseCache(cache_file))
    cache.save()
    first = cache_file.read_bytes()
    cache_file.write_bytes(first + b"")  # a marker: the same bytes, a new inode time is not needed
    stamp = cache_file.stat().st_mtime_ns
    load_tree(kb_copy, again := ParseCache(cache_file))
    again.save()
    assert cache_file.stat().st_mtime_ns == stamp  # nothing new: not written again
    record = kb_copy / "practices" / "ngo-pilot.yml"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load_tree(kb_copy, preview := ParseCache(cache_file, read_only=True))
    preview.save()
    assert cache_file.stat().st_mtime_ns == stamp  # the preview's copy stays in memory
    load_tree(kb_copy, build := ParseCache(cache_file))
    build.save()
    assert cache_file.read_bytes() != first


def test_numbers_too_long_to_be_years_or_counts_are_refused():
    """Python refuses to turn whole numbers of over 4,300 digits into text: a message naming the
    value would crash. Such a value is no year or count: the loader refuses it, shortened."""
    for text in ("a: " + "9" * 5000, "a: 0x" + "f" * 5000, "a: 1234567890123456789"):
        document, issues = parse_text(text + "\n", "x.yml")
        assert document is None and [i.code for i in issues] == ["yaml.bad_scalar"] and len(issues[0].message) < 120
    assert parse_text("a: 123456789012345678\nb: 0x1F\n", "x.yml")[0].data == {"a": 123456789012345678, "b": 31}
