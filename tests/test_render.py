"""Stage 4: escaping, sanitising, language fallbacks, labels."""
import json
import re

import pytest

from conftest import FIXTURE, ROOT
from kb import LANGUAGES
from kb.load import load_tree
from kb.model import build_model
from kb.render import Page, Renderer, routes
from kb.render.columns import FACETS
from kb.render.labels import load_labels
from kb.render.markup import (VERBATIM_END, VERBATIM_START, anchor_ids, escape_inline, html_body, markdown_to_html,
                             put_back, set_aside, toc_tokens)
from kb.schemas import Schemas


@pytest.fixture(scope="module")
def renderer():
    tree, _ = load_tree(FIXTURE)
    schemas = Schemas(FIXTURE / "schemas")
    return Renderer(build_model(tree, schemas), schemas)


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>text",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_markdown_is_sanitised(attack):
    html = markdown_to_html(attack).lower()
    assert "<script" not in html and "onerror" not in html and "onload" not in html
    assert "javascript:" not in html and "<iframe" not in html and "style=" not in html and "data:" not in html


def test_markdown_keeps_ordinary_formatting():
    html = markdown_to_html("Text **bold** and [a link](https://example.org).\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and '<a href="https://example.org" rel="noopener noreferrer">' in html
    assert "<li>one</li>" in html and "\n\n" not in html


def test_escape_inline_neutralises_markdown_and_html():
    assert escape_inline("a *b* [c](d) <e> & f|g") == r"a \*b\* \[c\]\(d\) &lt;e&gt; &amp; f\|g"


def test_labels_exist_in_every_language():
    def leaves(node, trail=()):
        if isinstance(node, dict) and set(node) == set(LANGUAGES) and all(isinstance(v, str) for v in node.values()):
            yield trail, node
        elif isinstance(node, dict):
            for key, child in node.items():
                yield from leaves(child, trail + (key,))
        else:
            raise AssertionError(f"{trail} is not a label in every language")
    assert all(all(text.strip() for text in label.values()) for _, label in leaves(load_labels()))


def test_fallback_text_carries_its_language_and_stays_out_of_this_languages_index(renderer):
    page = Page(renderer, "practices/ngo-pilot.en.md", "en")
    summary = renderer.kb.get("practice", "ngo-pilot").summary
    block = page.block(summary, "pl")
    assert '<div class="kb-text kb-fallback" data-pagefind-ignore>' in block
    assert '<div lang="pl" data-pagefind-ignore="index">' in block and "Original text (Polish) — not translated" in block
    assert page.text({"pl": "Tytuł"}, "pl") == '<span lang="pl" data-pagefind-ignore="index">Tytuł</span>'
    assert page.heading({"pl": "Tytuł"}, "pl") == 'Tytuł {: #title lang="pl" data-pagefind-ignore="index" }'
    assert page.text({"pl": "Tytuł", "en": "Title"}, "pl") == "Title"


def test_search_front_matter_only_where_the_text_is_in_the_pages_language(renderer):
    record = renderer.kb.get("practice", "hromada-visit")  # written in Ukrainian, translated into Polish only
    assert "en" not in record.title
    assert Page(renderer, "practices/hromada-visit.en.md", "en").search_meta(record) == ""
    meta = Page(renderer, "practices/hromada-visit.pl.md", "pl").search_meta(record)
    assert meta.startswith("pagefind: ")
    value = json.loads(meta.removeprefix("pagefind: "))
    assert value["kind"] == "Dobra praktyka"
    assert value["filters"] == {facet.name: facet.values(record) for facet in FACETS}  # every facet of the search page
    assert value["filters"]["kind"] == ["practice"] and value["filters"]["country"] == [record.location["country"]]
    assert value["filters"]["language"] == ["pl", "uk"]  # readable in its original and its one translation


def test_notices(renderer):
    visit = renderer.kb.get("practice", "hromada-visit")
    assert Page(renderer, "x.uk.md", "uk").notices(visit) == []  # the source language needs no notice
    pl_notices = Page(renderer, "x.pl.md", "pl").notices(visit)
    assert len(pl_notices) == 1 and "zmienił się" in pl_notices[0]
    en_notices = Page(renderer, "x.en.md", "en").notices(visit)
    assert len(en_notices) == 1 and "not been translated into English" in en_notices[0]
    act = renderer.kb.get("act", "sample-act")
    assert any("Unofficial translation" in n for n in Page(renderer, "x.en.md", "en").notices(act))
    assert [str(n) for n in Page(renderer, "x.pl.md", "pl").notices(act)] == [  # translations shown beside it
        "Tłumaczenia pokazane obok tekstu oryginalnego są nieoficjalne i nie mają mocy prawnej. "
        "Moc prawną ma wyłącznie tekst oryginalny \\(polski\\)."]


def test_provision_labels_and_numbers(renderer):
    assert Page(renderer, "x.pl.md", "pl").provision_label("art_2__para_1__point_2") == "Art. 2 ust. 1 pkt 2"
    assert Page(renderer, "x.uk.md", "uk").provision_label("art_16a") == "Стаття 16a"
    assert Page(renderer, "x.pl.md", "pl").number(170660) == "170\u00a0660"
    assert Page(renderer, "x.en.md", "en").number(170660) == "170,660"


def test_relative_links(renderer):
    page = Page(renderer, "practices/ngo-pilot.uk.md", "uk")
    assert page.record_href(renderer.kb.get("standard", "quality"), "open-hours") == "../standards/quality.uk.md#open-hours"
    assert Page(renderer, "index.en.md", "en").catalogue_href("practice") == "practices/index.en.md"
    assert Page(renderer, "search.en.md", "en").catalogue_url("act") == "../acts/"


def test_parallel_rendering_matches_serial(tmp_path):
    from conftest import ROOT
    from kb.render import render_site
    from kb.tools.synthetic import generate
    generate(tmp_path / "kb", 220, ROOT)  # above the size where workers are used
    tree, _ = load_tree(tmp_path / "kb")
    schemas = Schemas(tmp_path / "kb" / "schemas")
    kb = build_model(tree, schemas)
    assert render_site(kb, schemas, None, jobs=2) == render_site(kb, schemas, None, jobs=1)


def test_search_page_labels_are_html_escaped_not_markdown_escaped():
    """The search form is a raw HTML block, where a Markdown backslash escape would show as is."""
    tree, _ = load_tree(FIXTURE)
    schemas = Schemas(FIXTURE / "schemas")
    kb = build_model(tree, schemas)
    theme = next(iter(kb.taxonomy["themes"].values()))
    theme.label["pl"] = "Seniorzy 60+ (opieka) & <wsparcie>"
    from kb.render.generators import search_pages
    text = search_pages(Renderer(kb, schemas))["search.pl.md"]
    form = text[text.index('<div class="kb-search"'):]
    assert "Seniorzy 60+ (opieka) &amp; &lt;wsparcie&gt;" in form
    assert "\\" not in form


def _python_markdown(text: str, toc: bool = False):
    """What MkDocs' Markdown step makes of a page body, with the site's extensions (and with
    toc, the table of contents it gives MkDocs)."""
    import markdown
    import yaml
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = options
    converter = markdown.Markdown(extensions=names, extension_configs=settings)
    html_text = converter.convert(text)
    return (html_text, converter.toc_tokens) if toc else html_text


def test_verbatim_blocks_come_out_exactly_as_python_markdown_would_make_them(renderer):
    """The kb plugin sets our own HTML aside before Python-Markdown runs and puts it back after:
    on every page of the fixture, in every language, the result is byte for byte what
    Python-Markdown makes of the same page without the markers."""
    pages = {path: text for path, text in renderer.render().items() if path.endswith(".md")}
    blocks_seen = 0
    for path, text in pages.items():
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        markdown_part, blocks = set_aside(body)
        blocks_seen += len(blocks)
        unmarked = body.replace(VERBATIM_START + "\n", "").replace("\n" + VERBATIM_END, "")
        assert put_back(_python_markdown(markdown_part), blocks) == _python_markdown(unmarked), path
    assert blocks_seen > 100  # cards, sanitised texts, citations, acts' units, checklists


def test_anchor_ids_in_set_aside_blocks_are_known_to_link_checks():
    blocks = ['<div class="kb-unit" id="art_1__para_2"><p data-id="no">id="text"</p><h2 id="a&amp;b">x</h2></div>']
    assert anchor_ids(blocks) == {"art_1__para_2", "a&b"}


def test_pages_written_as_html_skip_python_markdown_and_keep_its_table_of_contents(renderer):
    """Practice, standard, recommendation, term and handout pages are written as HTML: the whole
    body is one verbatim block, which the kb plugin hands to MkDocs as it is. Their headings
    carry the anchors and permalinks of the toc extension, and the table of contents read back
    from them is the one Python-Markdown would give MkDocs for the same HTML."""
    pages = renderer.render()
    kb = renderer.kb
    paths = [route(record.id, lang) for lang in LANGUAGES for kind in ("practice", "standard", "recommendation")
             for record in kb.records[kind].values() for route in (lambda id_, lang: routes.record(kind, id_, lang),)]
    paths += [routes.handout(practice_id, lang) for practice_id in kb.records["practice"] for lang in LANGUAGES]
    paths += [routes.term("themes", term_id, lang) for term_id in kb.taxonomy["themes"] for lang in LANGUAGES]
    as_html = {path: html_body(pages[path].split("\n---\n", 1)[1]) for path in paths}
    assert as_html and all(body is not None for body in as_html.values()), [p for p, b in as_html.items() if b is None]
    practice = as_html["practices/ngo-pilot.uk.md"]
    assert '<h2 id="facts">' in practice and '<a class="headerlink" href="#facts" title="Link">&para;</a>' in practice
    assert "{:" not in practice and "](" not in practice and ".md" not in practice  # no Markdown left: links are addresses
    for path, body in as_html.items():
        tokens = toc_tokens(body)
        assert tokens and tokens[0]["id"] == "title" and tokens[0]["level"] == 1, path
        # The same headings written in Markdown: Python-Markdown makes the same tags and contents.
        headings = re.findall(r'(<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\2>)', body)
        markdown_headings = "\n\n".join(f"{'#' * int(level)} {inner.split('<a class=')[0]} {{: #{anchor} }}"
                                          for _, level, anchor, inner in headings)
        converted, expected = _python_markdown(markdown_headings, toc=True)
        assert tokens == expected, path
        assert [re.sub(r' lang="[^"]*" data-pagefind-ignore="index"', "", tag) for tag, *_ in headings] == \
               re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", converted), path
