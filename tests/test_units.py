"""Act-unit identifiers: one grammar, made, parsed and walked in one module."""
from kb import units


def test_make_and_parse_are_inverse():
    point = units.make(units.make(units.make(None, "article", "16A"), "paragraph", 1), "point", 2)
    assert point == "art_16a__para_1__point_2" == units.example().replace("17", "16a")
    assert units.parse(point) == [("article", "16a"), ("paragraph", "1"), ("point", "2")]
    assert units.make(None, "article", "") is None


def test_parse_refuses_ids_outside_the_grammar():
    for bad in ("para_1", "art_1__art_2", "art_1__point_1__para_1", "art-1", "art_1_para_1", "", None, "article_1"):
        assert units.parse(bad) is None, bad


def test_walk_finds_every_unit_in_order_and_tolerates_bad_data():
    data = {"articles": [{"id": "art_1", "number": "1", "paragraphs": [
        {"id": "art_1__para_1", "number": "1", "points": [{"id": "art_1__para_1__point_1", "number": "1"}, "junk"]}],
        "points": [{"id": "art_1__point_9", "number": "9"}]}, 7, {"number": None}]}
    found = [(unit.path, unit.level, unit.expected_id) for unit in units.walk(data)]
    assert found == [(("articles", 0), "article", "art_1"),
                     (("articles", 0, "paragraphs", 0), "paragraph", "art_1__para_1"),
                     (("articles", 0, "paragraphs", 0, "points", 0), "point", "art_1__para_1__point_1"),
                     (("articles", 0, "points", 0), "point", "art_1__point_9"),
                     (("articles", 2), "article", None)]
    assert units.walk("not an act") == []


def test_suggestions_are_close_or_list_the_articles():
    known = [f"art_{n}" for n in range(1, 46)] + ["art_16a", "art_17__para_1", "art_17__para_1__point_2"]
    assert units.suggestion("art_999", known).startswith("the act's articles are art_1, art_2,")
    assert "(46 articles)" in units.suggestion("art_999", known)
    assert units.suggestion("art_17__para_1__point_3", known) == "did you mean 'art_17__para_1__point_2'? "
    assert units.suggestion("art_16b", known) in ("did you mean 'art_16a'? ", "did you mean 'art_16'? ")
    assert units.suggestion("art_1", []) == "the act has no units yet; "


def test_the_schemas_id_patterns_accept_exactly_the_ids_units_makes():
    """act.schema.json spells the grammar out for editors' IDEs; it must agree with units.py."""
    import re
    from conftest import ROOT
    from kb.schemas import Schemas
    schemas = Schemas(ROOT / "schemas")
    patterns = {levels: re.compile(schemas.field_schema("act", path + ("id",))["pattern"])
                for levels, path in {"article": ("articles", 0), "paragraph": ("articles", 0, "paragraphs", 0),
                                     "point": ("articles", 0, "paragraphs", 0, "points", 0),
                                     "letter": ("articles", 0, "paragraphs", 0, "points", 0, "letters", 0)}.items()}
    article = units.make(None, "article", "16a")
    paragraph = units.make(article, "paragraph", "2")
    point = units.make(paragraph, "point", "3b")
    made = {"article": article, "paragraph": paragraph, "point": point, "letter": units.make(point, "letter", "c")}
    assert set(patterns) == set(units.LEVELS)  # every level the code knows has its pattern in the schema
    for level, pattern in patterns.items():
        assert pattern.match(made[level]), (level, made[level])
        for other, unit_id in made.items():
            assert bool(pattern.match(unit_id)) == (other == level), (level, unit_id)
