"""The schemas are the contract: valid Draft-07, every property titled and described."""
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from conftest import ROOT
from kb.schemas import ANY, Schemas

SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_07(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def _properties(node, trail=()):
    if isinstance(node, dict):
        for name, child in (node.get("properties") or {}).items():
            yield trail + (name,), child
        for key, child in node.items():
            if isinstance(child, (dict, list)):
                yield from _properties(child, trail + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _properties(child, trail + (index,))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_title_and_description(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    lacking = [trail for trail, prop in _properties(schema) if not (prop.get("title") and prop.get("description"))]
    assert lacking == []


def test_text_fields_and_translation_scopes_come_from_the_schema():
    schemas = Schemas(ROOT / "schemas")
    practice = {(f.pattern, f.markdown) for f in schemas.text_fields("practice")}
    assert (("title",), False) in practice and (("summary",), True) in practice
    assert (("indicators", ANY, "indicator"), False) in practice
    assert schemas.translation_scopes("act") == [("articles", ANY), ()]


def test_labels_follow_titles():
    schemas = Schemas(ROOT / "schemas")
    assert schemas.labels("standard", ("criteria", 2, "level")) == ["Criteria (3)", "Level"]
    assert schemas.labels("taxonomy", ("themes", "ozps", "label", "uk")) == ["Themes", "ozps", "Label", "Ukrainian"]


def test_field_reference_lists_every_top_level_property():
    schemas = Schemas(ROOT / "schemas")
    for kind in ("practice", "standard", "recommendation", "act"):
        documented = {row.path for row in schemas.field_reference(kind)}
        assert set(schemas.root(kind)["properties"]) <= documented
    rows = {row.path: row for row in schemas.field_reference("standard")}
    assert rows["criteria[].level"].kind == "one of: mandatory, extended" and rows["criteria[].level"].required
    assert rows["criteria[].area"].vocabulary == "criterion_areas"


def test_complete_fills_declared_properties():
    schemas = Schemas(ROOT / "schemas")
    done = schemas.complete("practice", {"id": "x", "location": {"country": "pl"}, "sources": [{"title": "t"}]})
    assert done["period"] is None and done["sources"][0]["url"] is None
    assert done["location"]["regions"] == [] and done["themes"] == []  # lists left out are empty lists
