"""The catalogue of each kind: every record as a card, the facets to narrow them by with the
number of records each value would leave, and a page per facet value so that narrowing works
without JavaScript. The page's script (docs/assets/kb-catalogue.js) counts the same way as
`counts` below; a test runs both on the same choices."""
from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from .. import KINDS, LANGUAGES
from . import labels, routes
from .exports import export_links
from .columns import CATALOGUE_FACETS, COLUMNS, SORTS, THEMES, TITLE
from .markup import inline, script_json, yaml_string


def facet_values(record, facets) -> dict[str, set]:
    """facet name → the values a record carries."""
    return {facet.name: set(facet.values(record)) for facet in facets}


def matches(values: dict[str, set], selection: dict[str, set], leave_out: str | None = None) -> bool:
    """Within a facet the chosen values are alternatives (any of them will do); across facets
    every facet with a choice must hold."""
    return all(values[name] & chosen for name, chosen in selection.items() if chosen and name != leave_out)


def counts(records_values: list[dict[str, set]], names: list[str], selection: dict[str, set]) -> dict[str, Counter]:
    """For each facet value, how many records it would leave given the choices in the other
    facets (a value's own facet is left out, so ticking a second value there adds its records).
    One pass: a record failing no facet counts everywhere, failing one facet counts only there."""
    result = {name: Counter() for name in names}
    for values in records_values:
        failing = [name for name in names if selection.get(name) and not values[name] & selection[name]]
        if not failing:
            for name in names:
                result[name].update(values[name])
        elif len(failing) == 1:
            result[failing[0]].update(values[failing[0]])
    return result


def value_order(renderer, facet, present: set) -> list[str]:
    """A facet's values that some record carries, in the vocabulary's (or label group's) order;
    values shown as written (years) newest first."""
    if facet.vocabulary:
        return [term_id for term_id in renderer.kb.taxonomy[facet.vocabulary] if term_id in present]
    if facet.group == "language_name":
        return [lang for lang in LANGUAGES if lang in present]
    if facet.group:
        return [value for value in labels.load_labels()[facet.group] if value in present]
    return sorted(present, reverse=True)


def value_label(page, facet, value: str):
    if facet.vocabulary:
        return page.term_html(facet.vocabulary, value)
    if facet.group:
        return page.html_label(facet.group, value)
    return page.html({page.lang: value}, page.lang)


def card(page, record) -> Markup:
    """A record's card: its title (linked), kind, and the kind's other columns as label and value,
    rendered once for every page at the same depth that lists it (its links go by the root): the
    pages per facet value list each record some twenty times."""
    cache = page.renderer.cards
    key = (record.kind, record.id, page.lang, routes.depth(page.path))
    if key not in cache:
        title, *facts = COLUMNS[record.kind]
        cache[key] = page.renderer.env.get_template("_macros.j2").module.render_card(
            {"id": record.id, "title": title.cell(page, record), "kind": page.html_label("kind", record.kind),
             "facts": [(page.html_label("field", column.label), column.cell(page, record), column.label) for column in facts]})
    return cache[key]


def home_card(page, record) -> dict:
    """A card for the home page: kind, place, year and themes, whatever the kind."""
    columns = {column.label: column for column in COLUMNS[record.kind]}
    shown = [columns[label] for label in ("place", "country", "period", "year") if label in columns] + [THEMES]
    return {"id": record.id, "title": TITLE.cell(page, record), "kind": page.html_label("kind", record.kind),
            "facts": [(page.html_label("field", column.label), column.cell(page, record), column.label) for column in shown]}


def in_reading_order(page, records: list) -> list:
    """Records by their title in the reader's language (the script re-sorts with the browser's collation)."""
    return sorted(records, key=lambda record: (page.pick(record.title, record.lang)[0].casefold(), record.id))


def facet_panel(renderer, page, kind: str, records: list) -> list:
    """Each facet with its values: (name, legend, [(value, label, count, static page address)])."""
    facets = CATALOGUE_FACETS[kind]
    values = [facet_values(record, facets) for record in records]
    tally = counts(values, [facet.name for facet in facets], {})
    panel = []
    for facet in facets:
        options = [(value, value_label(page, facet, value), tally[facet.name][value],
                    routes.relative_url(page.path, routes.browse(kind, facet.name, value, page.lang)))
                   for value in value_order(renderer, facet, set(tally[facet.name]))]
        if options:
            panel.append((facet.name, page.html_label("search", facet.label), options))
    return panel


# Cards the script shows of a selection before "show all": a change costs the style and layout of
# the cards it shows, so this, not the catalogue's length, bounds it (a phone shows two or three).
FIRST_CARDS = 24


def script_data(page, kind: str, records: list, panel: list) -> str:
    """What the page's script needs beyond the cards: how many cards to show before "show all"
    and, per record, its last update, its year and the index of each facet value it carries (in
    the panel's order), kept small."""
    index = {name: {value: position for position, (value, *_) in enumerate(options)} for name, _, options in panel}
    facets = {facet.name: facet for facet in CATALOGUE_FACETS[kind]}
    rows = []
    for record in records:
        row = [str(record.updated), *(sort.key(record) for sort in SORTS[kind] if sort.name == "year")]
        row.append([sorted(index[name][value] for value in facets[name].values(record)) for name, _, _ in panel])
        rows.append(row)
    return script_json({"kind": kind, "lang": page.lang, "facets": [name for name, _, _ in panel],
                        "sorts": [sort.name for sort in SORTS[kind]], "first": FIRST_CARDS, "records": rows})


def csv_texts(page, kind: str, panel: list) -> dict:
    """The CSV's header row in the reader's language, and its separator."""
    return {"csv-id": page.html_label("field", "identifier"), "csv-title": page.html_label("field", "title"),
            "csv-url": page.html_label("field", "address"), "csv-separator": page.html_label("assess", "csv_separator"),
            "csv-name": f"{KINDS[kind]}-{page.lang}.csv"}


# Front matter giving a catalogue the table of contents' width (Material's `hide`), where it has no sections.
HIDE_TOC = Markup('hide: ["toc"]')


def catalogues(renderer) -> dict:
    files = {}
    for kind in KINDS:
        for lang in renderer.languages:
            path = routes.catalogue(kind, lang)
            page = renderer.page(path, lang)
            records = in_reading_order(page, list(renderer.kb.records[kind].values()))
            panel = facet_panel(renderer, page, kind, records)
            sections = browse_sections(renderer, page, kind, records)
            files[path] = renderer.template(
                "catalogue.md.j2", path, lang, page=page, kind=kind, count=len(records), panel=panel,
                sorts=[(sort.name, page.html_label("catalogue", sort.label)) for sort in SORTS[kind]],
                data=script_data(page, kind, records, panel), csv=csv_texts(page, kind, panel),
                cards=[card(page, record) for record in records],
                sections=sections, wide="" if sections else HIDE_TOC,
                downloads=export_links(page, kind), data_page=page.href(routes.data_page(lang)))
    return files


def browse_pages(renderer) -> dict:
    """A page per facet value of each catalogue: the records carrying it, and the other values
    of the same facet with their counts, all counted at build time."""
    files = {}
    for kind in KINDS:
        records = list(renderer.kb.records[kind].values())
        for lang in renderer.languages:
            catalogue_page = renderer.page(routes.catalogue(kind, lang), lang)
            for name, legend, options in facet_panel(renderer, catalogue_page, kind, records):
                facet = next(facet for facet in CATALOGUE_FACETS[kind] if facet.name == name)
                for value, label, count, _ in options:
                    path = routes.browse(kind, name, value, lang)
                    page = renderer.page(path, lang)
                    chosen = in_reading_order(page, [record for record in records if value in facet.values(record)])
                    title = labels.text(("catalogue", "browse_title"), lang).format(
                        catalogue=labels.text(("catalogue", kind), lang), facet=labels.text(("search", facet.label), lang),
                        value=_plain_label(renderer, facet, value, lang))
                    siblings = [(other_label, other_count, routes.relative_url(path, routes.browse(kind, name, other, lang)),
                                 other == value) for other, other_label, other_count, _ in options]
                    files[path] = renderer.template(
                        "browse.md.j2", path, lang, page=page, kind=kind, title=inline(title), title_string=yaml_string(title),
                        count=count, legend=legend, siblings=siblings, cards=[card(page, record) for record in chosen],
                        catalogue=routes.relative_url(path, routes.catalogue(kind, lang)))
    return files


def _plain_label(renderer, facet, value: str, lang: str) -> str:
    if facet.vocabulary:
        return renderer.kb.taxonomy[facet.vocabulary][value].label[lang]
    return labels.text((facet.group, value), lang) if facet.group else value


def recommendation_statuses(renderer) -> list:
    """Every status a recommendation can have (the schema's list), in its order."""
    return next(values for pattern, values, _ in renderer.schemas.enum_fields("recommendation") if pattern == ("status",))


def browse_sections(renderer, page, kind: str, records: list) -> list:
    """More ways to read a catalogue without JavaScript: recommendations grouped by addressee
    (the statuses have their facet). Each section has a title, an anchor and groups (heading,
    anchor, records)."""
    if kind != "recommendation":
        return []
    import hashlib
    addressees: dict = {}  # the addressee as written in the source language: the same in every language
    for record in records:
        addressees.setdefault(" ".join(record.addressee[record.lang].lower().split()), []).append(record)
    groups = [(page.text(members[0].addressee, members[0].lang),
               f"addressee-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}", members)
              for key, members in addressees.items()]
    groups.sort(key=lambda group: page.pick(group[2][0].addressee, group[2][0].lang)[0].lower())
    return [{"title": page.L["catalogue"]["by_addressee"], "anchor": "by-addressee", "groups": groups}]
