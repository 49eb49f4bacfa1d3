"""Record text never reaches a page unescaped: short text is HTML- and Markdown-escaped, long
text is rendered from Markdown by us (cmark-gfm) and cleaned with nh3 before MkDocs sees it."""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import cmarkgfm
import nh3
from markdown.extensions.toc import nest_toc_tokens, strip_tags
from markupsafe import Markup

from .. import LINK_SCHEMES

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = set(LINK_SCHEMES)
# Only characters Python-Markdown (with the tables extension) accepts backslash escapes for.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|-])")


# Raw HTML that we wrote whole (cards, sanitised text, citations, acts' units) is set aside
# before Python-Markdown runs and put back after it: parsing it again through html.parser was
# most of the build's time, and it would come out unchanged anyway. The markers are HTML
# comments, so without the plugin the page still renders the same.
VERBATIM_START, VERBATIM_END = "<!--kb:html-->", "<!--kb:/html-->"
VERBATIM = re.compile(rf"^{VERBATIM_START}\n(.*?)\n{VERBATIM_END}$", re.S | re.M)
PLACEHOLDER = re.compile(r"<div data-kb-html=\"(\d+)\"></div>")


def verbatim(html_block: str) -> Markup:
    """A raw HTML block, standing alone between blank lines, that Python-Markdown must not parse:
    the kb plugin sets it aside and puts it back unchanged. Verbatim blocks inside it are just HTML."""
    inner = html_block.strip().replace(VERBATIM_START + "\n", "").replace("\n" + VERBATIM_END, "")  # one level is enough
    ending = "\n" if html_block.endswith("\n") else ""  # a filter block's own line end stays
    return Markup(f"{VERBATIM_START}\n{inner}\n{VERBATIM_END}{ending}")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The page's Markdown with each verbatim block replaced by a numbered placeholder comment."""
    blocks: list[str] = []

    def placeholder(match: re.Match) -> str:
        blocks.append(match.group(1))
        return f"<div data-kb-html=\"{len(blocks) - 1}\"></div>"
    return VERBATIM.sub(placeholder, markdown), blocks


ANCHOR_ID = re.compile(r'\sid="([^"]*)"')  # our HTML and sanitised record text have no <a name> anchors


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ids the set-aside blocks give the page (MkDocs checks links to anchors against them)."""
    return {html.unescape(anchor) for block in blocks for anchor in ANCHOR_ID.findall(block)}


def split_front_matter(text: str) -> tuple[str, str]:
    """A page's front matter (with its closing line) and the rest."""
    if not text.startswith("---\n"):
        return "", text
    end = text.index("\n---\n", 3) + 5
    return text[:end], text[end:]


def html_body(markdown: str) -> str | None:
    """The page's body when all of it is one verbatim block (a page written as HTML), else None."""
    match = VERBATIM.fullmatch(markdown.strip())
    return match.group(1) if match else None


HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)<a class="headerlink"', re.S)


def toc_tokens(html_text: str) -> list[dict]:
    """The table of contents of a page written as HTML, as the toc extension gives it to MkDocs,
    from the headings that carry a permalink (page.HtmlPage.h)."""
    return nest_toc_tokens([{"level": int(level), "id": html.unescape(anchor), "name": strip_tags(inner), "html": inner,
                             "data-toc-label": ""} for level, anchor, inner in HEADING.findall(html_text)])


def put_back(html_text: str, blocks: list[str]) -> str:
    return PLACEHOLDER.sub(lambda match: blocks[int(match.group(1))], html_text) if blocks else html_text


def foreign(lang: str) -> str:
    """Attributes of a passage in another language than the page's: its lang, and kept out of
    the page language's search index."""
    return f'lang="{lang}" data-pagefind-ignore="index"'


@lru_cache(maxsize=1 << 18)
def escape_inline(text: str) -> str:
    """Plain text safe inside Markdown and HTML: entities for <>&\", backslashes for Markdown."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False)).replace('"', "&quot;")


def escape_html(text: str) -> str:
    """Plain text safe in HTML, in text and in double-quoted attributes (as Python-Markdown escapes it)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def inline(text: str) -> Markup:
    return Markup(escape_inline(text))


@lru_cache(maxsize=2)
def _cleaner(keep_tags: bool = True) -> nh3.Cleaner:
    """Built once: nh3.clean() builds the same allow-list on every call, at twice the cost of cleaning.
    Without keep_tags, only the text is left."""
    if not keep_tags:
        return nh3.Cleaner(tags=set())
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")


# What Python-Markdown (with the extensions of mkdocs.yml) makes of a hand-written page, which is
# untrusted like a record: raw HTML and attr_list could otherwise bring scripts and handlers.
PAGE_TAGS = ALLOWED_TAGS | {"h1", "h2", "div", "span", "img", "dl", "dt", "dd", "details", "summary", "kbd"}
PAGE_ATTRIBUTES = {"*": {"id", "class", "lang", "dir", "title"}, "a": {"href"}, "img": {"src", "alt"}, "div": {"data-pagefind-ignore"},
                   "th": {"align", "style"}, "td": {"align", "style"}}


@lru_cache(maxsize=1)
def _page_cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags=PAGE_TAGS, attributes=PAGE_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                       filter_style_properties={"text-align"})


def clean_page(html_text: str) -> str:
    """A hand-written page's HTML as MkDocs made it, with only the allow-list left."""
    return _page_cleaner().clean(html_text)


@lru_cache(maxsize=1 << 18)
def markdown_to_html(text: str) -> str:
    """Editor Markdown (GitHub-flavoured CommonMark, as GitHub previews it) → clean HTML.
    cmark already omits raw HTML and unsafe links; nh3 then keeps only an allow-list of tags,
    attributes and URL schemes."""
    cleaned = _cleaner().clean(cmarkgfm.github_flavored_markdown_to_html(text))
    return "\n".join(line for line in cleaned.splitlines() if line.strip())  # a blank line would end the HTML block


def plain_text(markdown: str, limit: int | None = None) -> str:
    """Editor Markdown as one line of plain text (a feed's summary, a handout's excerpt), cut at a
    word within `limit` characters."""
    text = " ".join(html.unescape(_cleaner(keep_tags=False).clean(markdown_to_html(markdown))).split()) if markdown else ""
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"
    return text


def yaml_string(value: str | None) -> Markup:
    """A front matter value on one line (JSON strings are YAML)."""
    return Markup(json.dumps(" ".join((value or "").split()), ensure_ascii=False))


def script_json(data) -> Markup:
    """Data for a page's script, as JSON that is safe inside <script>: no <, > or & to end it early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def search_front_matter(kind_label: str, filters: dict) -> Markup:
    """`pagefind:` front matter read by the theme's main.html (JSON is YAML)."""
    return Markup("pagefind: " + json.dumps({"kind": kind_label, "filters": filters}, ensure_ascii=False))

