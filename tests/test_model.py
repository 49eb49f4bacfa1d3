"""Stage 3: typed records, translation states, back-links."""
from conftest import FIXTURE
from kb.load import load_tree
from kb.model import LegalAct, Practice, Standard, build_model
from kb.schemas import Schemas


def model():
    tree, _ = load_tree(FIXTURE)
    return build_model(tree, Schemas(FIXTURE / "schemas"))


def test_records_are_typed_and_sorted():
    kb = model()
    assert list(kb.records["practice"]) == ["hromada-visit", "ngo-pilot"]
    assert isinstance(kb.get("practice", "ngo-pilot"), Practice)
    assert isinstance(kb.get("standard", "quality"), Standard)
    assert isinstance(kb.get("act", "sample-act"), LegalAct)


def test_translation_states():
    kb = model()
    ngo = kb.get("practice", "ngo-pilot").translations
    assert (ngo["pl"].state, ngo["uk"].state, ngo["en"].state) == ("source", "reviewed", "machine")
    visit = kb.get("practice", "hromada-visit").translations
    assert (visit["uk"].state, visit["pl"].state, visit["en"].state) == ("source", "stale", "missing")
    articles = kb.get("act", "sample-act").articles
    assert articles[1].translations["en"].state == "missing" and articles[1].translations["uk"].state == "draft"


def test_back_links():
    kb = model()
    standard = kb.get("standard", "quality")
    assert [p.id for p in standard.criteria[0].practices] == ["ngo-pilot"]
    assert standard.count("mandatory") == 1 and standard.count("extended") == 1
    act = kb.get("act", "sample-act")
    assert [r.id for r in act.articles[0].cited_by] == ["ngo-law"]
    assert act.articles[1].cited_by == []  # nothing cites art. 2 as a whole
    assert [r.id for r in act.units["art_2__para_1__point_2"].cited_by] == ["ngo-pilot", "diagnosis"]  # the very point (and a deadline)
    criterion = standard.criterion("open-hours")
    stage = kb.get("method", "plan").stage("diagnosis")
    assert act.units["art_2__para_1"].cited_by == [criterion, stage]  # a criterion and a method's stage cite in their own name
    assert [p.id for p in stage.practices] == ["ngo-pilot"] and stage.owner.id == "plan"
    assert [(p.act.id, p.unit_id) for p in stage.refs["deadlines.provision"]] == [("sample-act", "art_2__para_1__point_2")]
    assert [(p.act.id, p.unit_id) for p in criterion.refs["cites"]] == [("sample-act", "art_2__para_1")]
    assert standard.criterion("trained-staff").refs["cites"] == []
    assert {r.id for r in kb.get("practice", "ngo-pilot").related} == {"quality", "ngo-law", "plan"}
    assert [unit.id for unit in act.articles[1].walk()] == ["art_2", "art_2__para_1", "art_2__para_1__point_1", "art_2__para_1__point_2"]
    coverage = act.coverage("en")
    assert coverage == {"total": 4, "draft": 1, "missing": 3}  # art. 2 has no English text


def test_tagged_lists_records_of_every_kind():
    kb = model()
    assert [(r.kind, r.id) for r in kb.tagged_with("themes", "social-services")] == [
        ("practice", "hromada-visit"), ("standard", "quality"), ("act", "sample-act"), ("method", "plan")]


def test_derived_attributes_never_hide_a_schema_field():
    """Records are their schema data plus derived attributes; a schema field by the name of a
    derived one would be hidden, except where the derived one is that field as objects."""
    from conftest import ROOT
    from kb import KINDS
    from kb.model import DERIVED
    schemas = Schemas(ROOT / "schemas")
    as_objects = {("standard", "criteria"), ("act", "articles"), ("method", "stages")} | {(kind, "translations") for kind in KINDS}  # the field, derived
    for kind in KINDS:
        clashes = {(kind, name) for name in schemas.root(kind)["properties"] if name in DERIVED[kind]}
        assert clashes <= as_objects, clashes


def test_references_are_resolved_to_objects():
    kb = model()
    practice = kb.get("practice", "ngo-pilot")
    assert [(c.standard.id, c.id) for c in practice.refs["criteria"]] == [("quality", "open-hours")]
    assert [(p.act.id, p.unit_id) for p in practice.refs["cites"]] == [("sample-act", "art_2__para_1__point_2")]
    assert [p.id for p in kb.get("recommendation", "ngo-law").refs["related_practices"]] == ["ngo-pilot"]


def test_unit_attributes_never_hide_a_unit_field():
    from conftest import ROOT
    from kb.model import Unit
    schemas = Schemas(ROOT / "schemas")
    derived = {"level", "article", "children", "cited_by"}  # set by Unit; Article adds translations (the field, as states)
    assert derived <= set(vars(Unit({"id": "art_1", "number": "1"}, "article")))
    for level in ("article", "paragraph", "point", "letter"):
        fields = set(schemas.root("act")["definitions"][level]["properties"])
        assert not fields & derived, (level, fields & derived)
