"""Interface text: every label the pages can ask for exists in every language, none is dead,
and a missing one is a located issue, never an internal error."""
import re

import pytest

from conftest import ROOT, make_project, FIXTURE, run_kb
from kb import KINDS, LANGUAGES, PACKAGE_DIR
from kb.render import labels
from kb.schemas import Schemas

SCHEMAS = Schemas(ROOT / "schemas")


def test_every_label_exists_in_every_language():
    assert labels.check(SCHEMAS) == []


def test_every_enum_of_every_schema_names_its_labels():
    for kind in (*KINDS, "taxonomy"):
        for pattern, values, group in SCHEMAS.enum_fields(kind):
            assert group is not None or pattern[-1] == "currency", (kind, pattern)  # currency codes are shown as written
            if group:
                assert {str(value) for value in values} <= set(labels.load_labels()[group]), (kind, pattern)


def test_fields_named_in_templates_are_required():
    required = labels.required(SCHEMAS)
    template = (PACKAGE_DIR / "templates" / "practice.html.j2").read_text(encoding="utf-8")
    named = set(re.findall(r"L\.field\['(\w+)'\]", template))
    assert named and {("field", key) for key in named} <= required


def test_no_label_is_dead():
    """Every label is asked for by a schema enum, a kind, a state, a column or facet, or by name in
    a template, the renderer or the theme's overrides."""
    required = labels.required(SCHEMAS)
    dead = [f"{group}.{key}" for group, entries in labels.load_labels().items()
            for key in entries if (group, key) not in required]
    assert dead == []


class _Recording(dict):
    """A label table that notes every key asked of it."""

    def __init__(self, table, trail, asked):
        super().__init__(table)
        self.trail, self.asked = trail, asked

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if isinstance(value, dict):
            return _Recording(value, self.trail + (key,), self.asked)
        self.asked.add((self.trail + (key,))[:2])
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default


def test_every_label_a_render_asks_for_is_checked(monkeypatch):
    """Render the fixture in every language, noting each label asked for: each must be one that
    labels.check() covers, so a missing one is an issue before rendering, never a crash."""
    from kb.load import load_tree
    from kb.model import build_model
    from kb.render import render_site
    asked = set()
    text, escaped = labels.text, labels.escaped
    monkeypatch.setattr(labels, "text", lambda keys, lang: asked.add(tuple(keys)[:2]) or text(keys, lang))
    monkeypatch.setattr(labels, "escaped", lambda lang, *escape: _Recording(escaped(lang, *escape), (), asked))
    tree, _ = load_tree(FIXTURE)
    render_site(build_model(tree, SCHEMAS), SCHEMAS, ROOT / "docs" / "pages")
    assert len(asked) > 50
    assert sorted(asked - labels.required(SCHEMAS)) == []


@pytest.fixture
def without_label(monkeypatch):
    """labels.yml with one label removed: (group, key, language or None for the whole label)."""
    def remove(group, key, lang=None):
        document = labels.load()
        data = {name: {k: dict(v) if isinstance(v, dict) else v for k, v in entries.items()}
                for name, entries in document.data.items()}
        if lang:
            del data[group][key][lang]
        else:
            del data[group][key]
        changed = type(document)(document.path, data, document.digest, document.positions, document.key_positions)
        monkeypatch.setattr(labels, "load", lambda: changed)
        labels.escaped.cache_clear()
        return changed
    yield remove
    labels.escaped.cache_clear()


def test_a_deleted_label_of_a_valid_value_is_a_located_issue(without_label, tmp_path):
    without_label("recommendation_status", "withdrawn")
    issues = labels.check(SCHEMAS)
    assert [(i.code, i.field) for i in issues] == [("label.undefined", "recommendation_status.withdrawn")]
    assert issues[0].file.endswith("labels.yml") and issues[0].line > 1
    root = make_project(tmp_path / "kb", FIXTURE)
    code, out, err = run_kb("--root", root, "build")
    assert code == 1 and "internal error" not in err and "Traceback" not in out + err
    assert "label.undefined: the interface text 'recommendation_status.withdrawn' is not in labels.yml" in out


def test_a_label_missing_one_language_is_named(without_label):
    without_label("field", "partners", "uk")
    issues = labels.check(SCHEMAS)
    assert [(i.code, i.field, i.message) for i in issues] == [
        ("label.missing", "field.partners", "the interface text 'field.partners' has no Ukrainian version")]
    assert "uk:" in issues[0].hint


def test_language_names_exist_for_every_reader_language():
    for lang in LANGUAGES:
        assert set(labels.load_labels()["language_name"][lang]) == set(LANGUAGES)


def test_ukrainian_interface_text_uses_one_apostrophe():
    """’ (U+2019), as the records do (kb validate warns on ' there)."""
    from kb.validate.rules import ASCII_APOSTROPHE
    sources = [labels.LABELS_FILE, *sorted((ROOT / "docs" / "pages").glob("*.uk.md")), ROOT / "mkdocs.yml"]
    typed = [source.name for source in sources if ASCII_APOSTROPHE.search(source.read_text(encoding="utf-8"))]
    assert typed == []
