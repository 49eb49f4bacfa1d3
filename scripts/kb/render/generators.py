"""The page families of the site, as a list (Pelican's generators): each makes its pages, in
every language being built, as {source path: Markdown}. A new family (exports, feeds,
statistics, self-assessment, print) is one more function and one more entry in FAMILIES."""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from .. import KINDS, LANGUAGES, files, messages, translations
from ..schemas import SCHEMA_LANGUAGE
from ..yaml12 import parse_text
from . import labels, routes
from .catalogue import browse_pages, card, catalogues, home_card, in_reading_order, recommendation_statuses
from .columns import FACETS, KIND, PAGE_KIND, country
from .exports import export_files, export_links
from .feeds import changes_pages, feed_files, sitemap_files
from .statistics import statistics_pages
from .markup import foreign, inline, search_front_matter, yaml_string


@dataclass(frozen=True)
class Family:
    name: str
    make: Callable  # (renderer) → pages; for a per-record family (renderer, records) → pages
    per_record: bool = False  # one page per record: rendered in parallel, and only for changed records in the preview
    lists_records: bool = False  # shows other records (lists, counts): made again whenever any record changes
    from_pages: bool = False  # made from the other families' pages (the sitemap): (renderer, pages) → pages, last
    # Another way into what the other pages show (a printable card, the records of one facet
    # value, a checklist): the preview writes these once it serves the rest, so it starts sooner.
    later: bool = False


def record_pages(renderer, records) -> dict:
    files = {}
    for record in records:
        for lang in renderer.languages:
            path = routes.record(record.kind, record.id, lang)
            files[path] = renderer.template(renderer.record_template(record.kind), path, lang, record=record)
            for alias in record.aliases:
                alias_path = routes.record(record.kind, alias, lang)
                files[alias_path] = renderer.template("redirect.md.j2", alias_path, lang, record=record,
                                                    target=routes.relative_url(alias_path, path))
    return files


def citation_files(renderer, records) -> dict:
    """Beside each record's page, its citation for reference managers: BibTeX and CSL-JSON."""
    files = {}
    for record in records:
        for lang in renderer.languages:
            page = renderer.page(routes.record(record.kind, record.id, lang), lang)
            files[routes.download(page.path, "bib")] = page.bibtex(record)
            files[routes.download(page.path, "json")] = page.csl_json(record)
    return files


def page_per_record(kind: str, route, template: str):
    """A family's maker: one page per record of `kind` in every language, at route(id, lang)."""
    def make(renderer, records) -> dict:
        return {route(record.id, lang): renderer.template(template, route(record.id, lang), lang, record=record)
                for record in records if record.kind == kind for lang in renderer.languages}
    return make


def status_pages(renderer) -> dict:
    """A page per recommendation status (the status facet's own pages), every status even without records."""
    files = {}
    for value in recommendation_statuses(renderer):
        for lang in renderer.languages:
            path = routes.status(value, lang)
            page = renderer.page(path, lang)
            records = in_reading_order(page, [r for r in renderer.kb.records["recommendation"].values() if r.status == value])
            title = labels.text(("catalogue", "status_title"), lang).format(
                status=labels.text(("recommendation_status", value), lang))
            files[path] = renderer.template("status.md.j2", path, lang, page=page, title=inline(title),
                                            title_string=yaml_string(title), cards=[card(page, record) for record in records])
    return files


def term_pages(renderer) -> dict:
    files = {}
    for vocabulary in routes.TERM_FOLDERS:
        terms = list(renderer.kb.taxonomy[vocabulary].values())
        for lang in renderer.languages:
            index_path = routes.term_index(vocabulary, lang)
            files[index_path] = renderer.template("terms.md.j2", index_path, lang, vocabulary=vocabulary, intro=f"{vocabulary}_intro",
                                                terms=[(term, len(renderer.kb.tagged_with(vocabulary, term.id))) for term in terms])
            for term in terms:
                path = routes.term(vocabulary, term.id, lang)
                files[path] = renderer.template("term.html.j2", path, lang, vocabulary=vocabulary, term=term,
                                              records=renderer.kb.tagged_with(vocabulary, term.id))
    return files


# What a reader may come to do, the page that serves it (a kind's catalogue, or the data page),
# and what its count counts.
NEEDS = [("find_practice", "practice"), ("check_standard", "standard"), ("read_law", "act"),
         ("plan", "method"), ("change_law", "recommendation"), ("download", None)]
HOME_LATEST = 6


def need_counts(kb) -> dict:
    """The numbers each entry point of the home page states."""
    return {"find_practice": {"count": len(kb.records["practice"]),
                              "countries": len({country(r) for r in kb.records["practice"].values()})},
            "check_standard": {"count": len(kb.records["standard"]),
                               "criteria": sum(len(r.criteria) for r in kb.records["standard"].values())},
            "read_law": {"count": len(kb.records["act"]), "articles": sum(len(r.articles) for r in kb.records["act"].values())},
            "plan": {"count": len(kb.records["method"]), "stages": sum(len(r.stages) for r in kb.records["method"].values())},
            "change_law": {"count": len(kb.records["recommendation"])},
            "download": {"count": sum(len(records) for records in kb.records.values())}}


def home_pages(renderer) -> dict:
    """The home page: a search box, entry points by need with their counts, featured and recently updated records."""
    kb = renderer.kb
    featured = [record for record in kb.records["practice"].values() if record.featured]
    latest = sorted(kb.all_records(), key=lambda r: (r.updated, r.kind, r.id), reverse=True)[:HOME_LATEST]
    counts = need_counts(kb)
    files = {}
    for lang in renderer.languages:
        path = routes.home(lang)
        page = renderer.page(path, lang)
        needs = [(page.html_label("home", f"need_{need}"),
                  routes.relative_url(path, routes.catalogue(kind, lang) if kind else routes.data_page(lang)),
                  page.html_label("home", f"need_{need}_what"),
                  page.html_label("home", f"need_{need}_count").format(**{key: page.number(value) for key, value in counts[need].items()}))
                 for need, kind in NEEDS]
        files[path] = renderer.template("home.md.j2", path, lang, page=page, needs=needs,
                                        search=routes.relative_url(path, routes.search(lang)),
                                        featured=[home_card(page, record) for record in featured],
                                        latest=[home_card(page, record) for record in latest],
                                        vocabularies=list(routes.TERM_FOLDERS))
    return files


def indicator_pages(renderer) -> dict:
    """Every indicator, grouped by domain, with the method stages that use it."""
    indicators = renderer.kb.taxonomy.get("indicators", {})
    domains = renderer.kb.taxonomy.get("indicator_domains", {})
    used_in: dict = {}
    for method in renderer.kb.records["method"].values():
        for stage in method.stages:
            for indicator in stage.indicators:
                used_in.setdefault(indicator, []).append(stage)
    groups = [(domain, [(term, used_in.get(term.id, [])) for term in indicators.values() if term.domain == domain.id])
              for domain in domains.values()]
    groups = [(domain, terms) for domain, terms in groups if terms]
    files = {}
    for lang in renderer.languages:
        path = routes.indicators(lang)
        files[path] = renderer.template("indicators.md.j2", path, lang, groups=groups)
    return files


def glossary_pages(renderer) -> dict:
    """The glossary in each language, terms in the reader's language's alphabetical order. Not in
    the search index: holding every term, it came first for many queries (rank 1 fell 7 points)."""
    files = {}
    for lang in renderer.languages:
        path = routes.glossary(lang)
        concepts = sorted(renderer.kb.glossary, key=lambda concept: concept.data[lang].term.casefold())
        files[path] = renderer.template("glossary.md.j2", path, lang, concepts=concepts,
                                        others=[other for other in LANGUAGES if other != lang])
    return files


def search_pages(renderer) -> dict:
    files = {}
    records = list(renderer.kb.all_records())
    for lang in renderer.languages:
        path = routes.search(lang)
        page = renderer.page(path, lang)
        facets = []
        for facet in FACETS:
            if facet.name == KIND.name:
                options = [(kind, page.html_label("kind", kind)) for kind in KINDS] + [(PAGE_KIND, page.html_label("search", "kind_page"))]
            elif facet.vocabulary:
                options = [(term_id, page.html(term.label, lang)) for term_id, term in renderer.kb.taxonomy[facet.vocabulary].items()]
            else:
                present = sorted({value for record in records for value in facet.values(record)})
                options = [(value, page.html_label(facet.group, value) if facet.group else value) for value in present]
            facets.append((facet.name, page.html_label("search", facet.label), options))
        catalogues = [(page.catalogue_url(kind), page.html_label("catalogue", kind)) for kind in KINDS]
        languages = [(other, page.html_label("language_name", other)) for other in LANGUAGES if other != lang]
        files[path] = renderer.template("search.md.j2", path, lang, page=page, facets=facets, catalogues=catalogues,
                                        languages=languages)
    return files


# Hand-written pages are plain Markdown written by editors (untrusted, like records): never a
# template. The generated parts they show are named placeholders from this fixed list, replaced
# as text; anything else in braces stays as written.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
PLACEHOLDERS = tuple(f"field_reference.{kind}" for kind in KINDS)  # the schema's field table of each kind


# What a hand-written page may set in its front matter: the rest (search data, the citation, the
# print footer, the template …) is the tool's, and the theme writes some of it unescaped.
FRONT_MATTER_KEYS = ("title",)
MAX_PAGE_TITLE = 300
# Characters a page may not hold: controls (a report echoing a link would run them in a terminal),
# text-direction and zero-width marks, separators YAML and Markdown read differently.
PAGE_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _page_text(path: Path, root: Path) -> str:
    """A hand-written page's text, through files.read_text (a regular file inside the knowledge
    base, at most files.LIMITS['page']), with Windows line ends made plain; raises files.Refused."""
    return files.read_text(path, root, "page").replace("\r\n", "\n")


def _at(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def split_page(text: str, shown: str) -> tuple[str, str, list]:
    """(title from the front matter or '', the Markdown after it, issues). The front matter is
    read as plain YAML and may set only FRONT_MATTER_KEYS, each a line of text."""
    if not text.startswith("---\n"):
        return "", text, []
    end = text.find("\n---\n", 3)
    if end < 0:
        return "", text, [messages.issue(shown, 1, 1, "page.front_matter", problem="it has no closing --- line")]
    document, issues = parse_text(text[4:end + 1], shown)
    issues = [dataclasses.replace(issue, line=issue.line + 1) for issue in issues]  # the front matter starts on line 2
    data = document.data if document is not None else None
    if document is not None and not isinstance(data, dict):
        issues.append(messages.issue(shown, 2, 1, "page.front_matter", problem="it is not a list of fields"))
    for key, value in data.items() if isinstance(data, dict) else ():
        line, col = document.position((key,), key=True)
        if key not in FRONT_MATTER_KEYS:
            issues.append(messages.issue(shown, line + 1, col, "page.front_matter_key", key=str(key)[:40], keys=", ".join(FRONT_MATTER_KEYS)))
        elif not isinstance(value, str) or "\n" in value or len(value) > MAX_PAGE_TITLE:
            issues.append(messages.issue(shown, line + 1, col, "page.front_matter", problem=f"{key} is not one line of text of at most {MAX_PAGE_TITLE} characters"))
    title = data.get("title") if isinstance(data, dict) and isinstance(data.get("title"), str) else ""
    return title, text[end + 5:], issues


def page_issues(text: str, shown: str) -> list:
    """The front matter's fields; hidden characters; each {{ name }} that is not a placeholder."""
    _, _, issues = split_page(text, shown)
    for match in PAGE_HIDDEN.finditer(text):
        issues.append(messages.issue(shown, *_at(text, match.start()), "page.hidden_character", character=ord(match.group(0))))
    for match in PLACEHOLDER.finditer(text):
        if match.group(1) not in PLACEHOLDERS:
            issues.append(messages.issue(shown, *_at(text, match.start()), "page.placeholder", name=match.group(1),
                                         names=", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)))
    return issues


def hand_written_issues(pages_dir: Path, root: Path) -> list:
    """Each hand-written page the site needs: present, a regular UTF-8 file of a bounded size,
    naming only known placeholders."""
    issues = []
    for name in routes.HAND_WRITTEN:
        for lang in LANGUAGES:
            path = routes.hand_written_source(pages_dir, name, lang)
            shown = files.shown(path, root)
            if not os.path.lexists(path):
                issues.append(messages.issue(shown, 1, 1, "file.missing", file=shown,
                                             about="; every hand-written page exists in pl, uk and en"))
                continue
            try:
                issues += page_issues(_page_text(path, root), shown)
            except files.Refused as refused:
                issues.append(refused.issue)
    return issues


def hand_written_pages(renderer) -> dict:
    """docs/pages/<name>.<lang>.md (checked by hand_written_issues before rendering), with the
    placeholders filled in."""
    files_ = {}
    if renderer.pages_dir is None:
        return files_
    template = renderer.env.get_template("field_reference.md.j2")
    tables = {kind: template.render(fields=renderer.schemas.field_reference(kind)) for kind in KINDS}  # once for all pages
    root = renderer.pages_dir.parents[len(routes.PAGES_DIR.parts) - 1]
    for name in routes.HAND_WRITTEN:
        for lang in renderer.languages:
            values = {f"field_reference.{kind}": table for kind, table in field_reference(tables, lang).items()}
            source = routes.hand_written_source(renderer.pages_dir, name, lang)
            title, body, _ = split_page(_page_text(source, root), "")
            body = PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), body)
            source_file = yaml_string(routes.hand_written_source(routes.PAGES_DIR, name, lang).as_posix())
            own = f"title: {yaml_string(title)}\n" if title else ""  # the page's own front matter: its title alone
            files_[routes.hand_written(name, lang)] = (f"---\n{own}{information_page_search(lang)}\nkb_source: {source_file}\n---\n"
                                                       + body)
    return files_


def information_page_search(lang: str) -> str:
    """Front matter that indexes a page that is not a record (about, glossary …) as an information page."""
    return search_front_matter(labels.text(("search", "kind_page"), lang),
                               {facet.name: [PAGE_KIND] if facet.name == "kind" else [] for facet in FACETS})


def field_reference(tables: dict, lang: str) -> dict:
    """kind → the schema's field table. The schemas are written in English, so on pages in
    other languages the table is marked as an English passage."""
    if lang == SCHEMA_LANGUAGE:
        return tables
    return {kind: f'<div {foreign(SCHEMA_LANGUAGE)} markdown="1">\n\n{table}\n</div>' for kind, table in tables.items()}


def translation_status_pages(renderer) -> dict:
    """Per language: how many texts of each kind are translated into it, in which state, and
    which translations are outdated, linked to the record (an article's at its anchor)."""
    files = {}
    for lang in renderer.languages:
        path = routes.translation_status(lang)
        page = renderer.page(path, lang)
        rows = [row for record in renderer.kb.all_records()
                for row in translations.text_rows(record.kind, record.id, record.path,
                                                  translations.of(record, record.kind, renderer.schemas), lang)]
        covered = translations.coverage(rows)
        cells = [[page.L["catalogue"][kind], page.number(cover.texts), page.number(cover.translated),
                  page.label("translation_status", "percent", percent=cover.percent)]
                 + [page.number(cover.states.get(state, 0)) for state in translations.COUNTED_STATES]
                 for kind, cover in covered.items()]
        table_ = {"headers": [page.L["translation_status"]["kind"], page.L["translation_status"]["texts"],
                              page.L["translation_status"]["translated"], page.L["translation_status"]["coverage"]]
                  + [page.L["translation_state"][state] for state in translations.COUNTED_STATES],
                  "alignment": ["---"] + ["---:"] * (3 + len(translations.COUNTED_STATES)), "rows": cells}
        stale = []
        for kind, record_id, scope in translations.outdated(rows):
            record = renderer.kb.get(kind, record_id)
            part = record.articles[scope[1]] if scope[:1] == ("articles",) else None
            link = page.record_link(record)
            if part is not None:
                link = Markup(f"{link} — [{page.unit_label('article', part.number)}]({page.record_href(record, part.id)})")
            stale.append(link)
        files[path] = renderer.template("translation_status.md.j2", path, lang, page=page, table=table_, outdated=stale,
                                        guide=page.href(routes.hand_written("contributing", lang)))
    return files


FAMILIES = [
    Family("records", record_pages, per_record=True),
    Family("citations", citation_files, per_record=True),
    # A standard's self-assessment checklist (it lists what addresses each criterion).
    Family("self-assessment", page_per_record("standard", routes.assessment, "assessment.md.j2"), per_record=True, later=True),
    # A practice's one-page summary, to print as a training handout.
    Family("practice handouts", page_per_record("practice", routes.handout, "handout.html.j2"), per_record=True, later=True),
    Family("home", home_pages, lists_records=True),
    Family("catalogues", catalogues, lists_records=True),
    Family("terms", term_pages, lists_records=True),
    Family("recommendation statuses", status_pages, lists_records=True),
    Family("hand-written", hand_written_pages),
    Family("search", search_pages),
    Family("glossary", glossary_pages),
    Family("indicators", indicator_pages, lists_records=True),
    Family("feeds", feed_files, lists_records=True),
    Family("what changed", changes_pages, lists_records=True),
    Family("sitemap", sitemap_files, from_pages=True),
    Family("open data", export_files, lists_records=True),
    Family("statistics", statistics_pages, lists_records=True),
    Family("browse", browse_pages, lists_records=True, later=True),
    Family("translation status", translation_status_pages, lists_records=True),
]
