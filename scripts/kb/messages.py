"""What editors read: the wording of every issue, by code, in one table (loading, validation,
interface text).

A message says what is wrong, naming the field by its schema title; a hint says how to fix it.
Both are str.format templates; `{label}` is the field's title path, e.g. 'Criteria (3) › Level'."""
from __future__ import annotations

import difflib
import errno
import os
from pathlib import Path

from . import KINDS, LANGUAGE_NAMES, LINK_SCHEMES, units
from .issues import Issue

TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
              "array": "a list", "object": "a group of fields", "null": "empty (null)"}
LANGUAGE_CHOICES = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
SHOWN_CHOICES = 12  # list at most this many allowed values in a hint

# Kinds of files (files.LIMITS) as the size message names them, with what to do about a large one.
FILE_KINDS = {
    "record": ("a record file", "records hold summaries, not whole documents: shorten the texts and link to the full document under sources"),
    "page": ("a hand-written page", "split the page, or link to a longer document"),
    "excerpt": ("an excerpt", "keep only the passages the records quote"),
    "settings": ("a settings file", "restore it from the repository"),
    "sheet": ("a translation sheet", "export one language at a time and import the file that `kb translations export` wrote"),
    "issue": ("an issue's text", "the form's fields are short: shorten the text"),
    "asset": ("a file of the site's assets or theme", "make images smaller (the guide's screenshots are tens of kB)"),
}
UTF8_HINT = "save the file with the encoding UTF-8 (in most editors: Save as… → Encoding → UTF-8)"
TEXTS = {
    # -- files -----------------------------------------------------------------------------
    "file.missing": ("{file} is missing", "restore it from the repository{about}"),
    "file.not_a_record": ("{file} is not a record file of this knowledge base",
                          "name .yml files in {folders} or taxonomy.yml, glossary.yml (paths from the knowledge base's folder)"),
    "file.unreadable": ("the file cannot be read: {reason}", "check the file's permissions"),
    "file.special": ("{file} is not a regular file (it is a pipe, a device or a folder)",
                     "the tool reads only plain files: replace it with a regular file, or remove it from {folder}/"),
    "file.symlink": ("{file} is a symbolic link; the tool reads and writes only regular files inside the knowledge base",
                     "replace the link with a copy of the file itself"),
    "file.outside": ("{file} lies outside the knowledge base ({root})",
                     "the tool reads and writes only files inside the knowledge base: copy the file into it (for a sheet, e.g. build/translations/) and name that copy"),
    "file.unwritable": ("{file} cannot be written: {reason}",
                        "check that the disk has free space and that the folder may be written to; nothing was changed"),
    "file.too_large": ("the file is {size:.1f} MB; {what} may be at most {limit}", "{advice}"),
    "file.folder": ("the folder {file}/ is not read: records are files directly in {folder}/",
                    "move its .yml files up into {folder}/, or move the folder out of it"),
    "file.extension": ("record files must end in .yml", "rename the file to {stem}.yml"),
    "file.ignored": ("{file} is not read: only .yml files are records",
                     "rename it to end in .yml if it is a record, or move it out of {folder}/"),
    "file.encoding": ("{problem}", UTF8_HINT),
    "page.front_matter": ("the front matter (between the --- lines at the top) cannot be used: {problem}",
                          "a hand-written page's front matter holds one line: title: \"…\""),
    "page.front_matter_key": ("the front matter sets '{key}', which hand-written pages may not set",
                              "keep only {keys}: the rest of a page's settings are the tool's"),
    "page.hidden_character": ("the page contains an invisible or control character (U+{character:04X})",
                              "delete it; it often comes with text copied from a PDF, a chat or a word processor"),
    "page.placeholder": ("{{{{ {name} }}}} is not a placeholder of hand-written pages",
                         "placeholders are {names}; to show braces as written, put a space between them: {{ {{"),
    # -- YAML ------------------------------------------------------------------------------
    "yaml.syntax": ("YAML syntax error: {problem}; the rest of the file was not checked",
                    "check the indentation and quote text that contains ': ', ' #', or starts with a special character; "
                    "once this is fixed, `kb validate` checks the whole file"),
    "yaml.multiple_documents": ("the file holds more than one YAML document (a line with --- in the middle)",
                                "keep one record per file: remove the --- line and move the second record to a file of its own"),
    "yaml.control_character": ("the file contains an invisible control character (code {character:#06x})",
                               "delete the character; it often comes from copying text out of a PDF or word processor"),
    "yaml.empty": ("the file is empty", "fill in the record, e.g. with `kb new`"),
    "yaml.too_deep": ("the values here are nested more than {limit} levels deep",
                      "records nest only a few levels (fields, lists, texts per language): check the indentation and the brackets"),
    "synonyms.shape": ("synonyms.yml: {what}", "each language, pl, uk or en, holds a list of groups, each a list of two or more terms"),
    "report.more": ("{count} more problems in this file are not listed",
                    "fix the ones above (they are often one mistake repeated) and run kb validate again"),
    "yaml.line_separator": ("the file contains the character U+{character:04X}, which some programs read as a line break and others do not",
                            "delete it, or write it as a plain line break; it often comes with text copied from a PDF or a word processor"),
    "yaml.too_many_items": ("this list or group holds {count} entries; at most {limit} are read",
                            "a record lists tens of entries, an act hundreds of units: split the list, or check for a pasted mistake"),
    "yaml.alias": ("anchors and aliases (& and *) are not supported", "write the value out in full instead of referring to it with *"),
    "yaml.forbidden_tag": ("the tag {tag} is not allowed",
                           "remove the tag (the word starting with !); records hold only text, numbers, lists and fields"),
    "yaml.bad_scalar": ("'{value}' cannot be read as {kind}", "quote the value to keep it as text"),
    "yaml.complex_key": ("a field name must be a plain word", "write the field name as text followed by a colon, e.g. title:"),
    "yaml.duplicate_key": ("the field '{key}' appears twice here (first on line {first_line})",
                           "keep one of the two and delete the other; YAML would silently drop one"),
    # -- the schema ------------------------------------------------------------------------
    "schema.required": ("{where} is missing the required field '{field}' ({title})", "add `{field}:`{about}"),
    "schema.unknown_field": ("{prefix}unknown field '{field}'", "{suggest}fields allowed here: {allowed}"),
    "schema.type": ("{label}: expected {expected}, found {found}", "{hint}"),
    "schema.enum": ("{label}: '{value}' is not one of the allowed values", "{suggest}write one of: {choices}"),
    "schema.format": ("{label}: '{value}' is not in the expected form", "{hint}"),
    "schema.url": ("{label}: '{value}' is not a web address", "use an https:// address, e.g. https://example.org/page"),
    "schema.unsafe_url": ("{label}: a {scheme}: address is not allowed", "use an https:// address, e.g. https://example.org/page"),
    "schema.empty": ("{label}: must not be empty", "{hint}"),
    "schema.duplicate_item": ("{label}: the same entry is listed twice", "remove the repeated entry"),
    "schema.choice": ("{label}: '{value}' is not an accepted value", "{hint}"),
    "schema.other": ("{label}: {detail}", "{hint}"),
    "text.unknown_language": ("{label}: '{field}' is not a language of this knowledge base",
                              "texts and translations are keyed by {languages}; move this text under one of them or delete it"),
    # -- taxonomy and references -----------------------------------------------------------
    "taxonomy.unknown_term": ("{label}: '{value}' is not a term of the {vocabulary} list in taxonomy.yml",
                              "{suggest}use a term listed under {vocabulary}: in taxonomy.yml{choices}, or add it there with labels in pl, uk and en"),
    "taxonomy.region_country": ("the region '{region}' belongs to '{region_country}', not to the country '{country}'",
                                "correct the country or the region"),
    "ref.unknown_practice": ("{label}: there is no practice '{value}'",
                             "{suggest}use the identifier of a file in " + KINDS["practice"] + "/ (its name without .yml)"),
    "ref.unknown_standard": ("{label}: there is no standard '{value}'",
                             "{suggest}use the identifier of a file in " + KINDS["standard"] + "/ (its name without .yml)"),
    "ref.unknown_act": ("{label}: there is no act '{value}'",
                        "{suggest}use the identifier of a file in " + KINDS["act"] + "/ (its name without .yml)"),
    "ref.unknown_method": ("{label}: there is no method '{value}'",
                           "{suggest}use the identifier of a file in " + KINDS["method"] + "/ (its name without .yml)"),
    "ref.unknown_stage": ("{label}: the method '{parent}' has no stage '{value}'",
                          "{suggest}its stages are {choices}"),
    "ref.unknown_criterion": ("{label}: the standard '{parent}' has no criterion '{value}'",
                              "{suggest}its criteria are {choices}"),
    "ref.unknown_provision": ("{label}: the act '{parent}' has no provision '{value}'",
                              "{suggest}identifiers are listed in " + KINDS["act"] + "/{parent}.yml"),
    # -- identity --------------------------------------------------------------------------
    "record.id_mismatch": ("the identifier '{record_id}' differs from the file name '{stem}.yml'",
                           "rename the file to {record_id}.yml or set id: {stem}; if the old one was published, keep it under aliases"),
    "record.duplicate_id": ("the identifier '{name}' is also used by {others}",
                            "choose an identifier that no other record uses, now or formerly (aliases)"),
    "record.published_after_updated": ("first published on {published}, after its last update on {updated}",
                                       "published is the date the record first appeared and never changes; updated is the date of its latest change, so it cannot be earlier"),
    "record.repeated_alias": ("'{name}' is already this record's identifier or one of its aliases",
                              "remove the repetition: aliases list former identifiers only, each once (its page would replace the record's)"),
    "site.config": ("mkdocs.yml cannot be read: {problem}", "restore it from the repository; it holds plain settings only (no !!python tags)"),
    "site.hooks": ("mkdocs.yml names hooks: Python files MkDocs would run while building",
                   "remove hooks:; the site's behaviour belongs in kb's own code (scripts/kb/plugin.py), reviewed as code"),
    "site.no_url": ("mkdocs.yml has no site_url: the site's published address",
                    "add site_url: https://… (where the site is published); permanent links, citations, QR codes and the sitemap are built on it"),
    # -- links (kb check-links) -------------------------------------------------------------
    "link.form": ("the address '{address}' is not a working link: {problem}",
                  "copy the address from the browser's address bar, starting with https://"),
    "link.insecure": ("'{address}' uses plain http://",
                      "open it in a browser; if it also works with https://, write that instead"),
    "link.duplicate": ("'{address}' is already given in this record (at {first})",
                       "keep it once, unless the two places really need it"),
    "link.broken": ("'{address}' answers with HTTP status {status}",
                    "find where the page moved (the publisher's site, or web.archive.org) and update the address; keep the source even if it is gone"),
    "link.unreachable": ("'{address}' could not be reached: {reason}",
                         "try it in a browser later; if it stays unreachable, look for a copy (web.archive.org) and note it"),
    "link.moved": ("'{address}' now leads to '{target}'",
                   "if the new address is the same document, write it instead"),
    # -- texts -----------------------------------------------------------------------------
    "text.missing_source": ("{label} has no {source_name} text, but the record's source language is {source_name} (lang: {source})",
                            "add `{source}: …` under this field, or correct lang: if the record was written in another language"),
    "text.html": ("{label} › {language}: contains HTML ({tag})",
                  "HTML is not allowed in records; use Markdown: **bold**, *italic*, [link](https://…), lists with '- '"),
    "text.too_deep": ("{label} › {language}: quotations and lists are nested {depth} levels deep; at most {limit} are allowed",
                      "a text needs a list in a list, or a quotation, at most: remove the extra '>' or list markers at the start of the lines"),
    "text.unsafe_link": ("{label} › {language}: contains a {scheme}: link",
                         "links must start with " + ", ".join(f"{scheme}:" for scheme in LINK_SCHEMES)),
    # -- translations ----------------------------------------------------------------------
    "translation.source_language": ("{where}: translations lists {language}, the source language",
                                    "remove this entry: the source language is not a translation"),
    "translation.unrecorded": ("{where} has {language} text but no translations entry for '{lang}'",
                               "add under translations: `{lang}: {{status: machine, source_hash: {current}}}` (machine when software translated it; draft or reviewed with `translator:` the person's name)"),
    "translation.no_person": ("{where}: the {language} translation is marked {status}, which says a person made or checked it, but names no translator",
                              "add `translator:` with the name of the person who translated (draft) or checked (reviewed) it; "
                              "a translation made by software, an AI assistant included, is `status: machine`"),
    "translation.stale": ("{where}: the {language} translation was made from an older {source_name} text; readers see it marked as outdated",
                          "update the translation, then set source_hash: {current}"),
    # -- structure of standards and acts ---------------------------------------------------
    "text.avoided_term": ("{label}: the {language} text uses '{found}', which the glossary says to avoid",
                          "write '{term}' instead (glossary.yml lists the terms to use)"),
    "text.apostrophe": ("{label}: the Ukrainian text has a typewriter apostrophe (')",
                        "use the apostrophe ’ (U+2019), as in «обов’язковий»"),
    "source.excerpt_missing": ("the excerpt {file} does not exist", "add the file with the passage copied from the source, or correct the name"),
    "source.quote_not_in_excerpt": ("the quotation „{quote}” is not word for word in {file}",
                                    "copy the quotation exactly as the source writes it, or add the passage to the excerpt"),
    "source.quote_unused": ("the quotation „{quote}” is listed, but no text of the record contains it",
                            "quote it in the text exactly as listed, or remove it from quotes"),
    "practice.no_source_address": ("no source of this practice has an address (url)",
                                   "add the web address where the source can be read; if there is none, say so in the source's note"),
    "practice.no_contact": ("the practice names no contact", "add `contacts:` with the organisation to ask and its public web address"),
    "standard.rule_unknown_criterion": ("the rule counts the criterion '{value}', which this standard does not have",
                                        "{suggest}criteria of this standard: {choices}"),
    "standard.rule_unused_area": ("the rule counts the area '{value}', but no criterion of this standard is in it",
                                  "{suggest}areas of this standard's criteria: {choices}"),
    "standard.rule_selects_nothing": ("this condition of the rule counts no criterion: no criterion of this standard has what it asks for",
                                      "change its level or area, or remove the condition"),
    "standard.reserved_criterion_id": ("the criterion identifier '{criterion_id}' is taken by a part of the standard's page",
                                       "choose another identifier: not facts, scope, rule, criteria, cites, related, sources, nor one starting with area-, note- or kb-, nor ending in -requirement"),
    "standard.rule_mixed_selection": ("this condition of the rule lists criteria and also a level or an area",
                                      "name either the criteria (criteria: [...]) or the level and area, not both"),
    "standard.rule_unreachable": ("no set of answers can meet this rule: the condition asks for at least {needed} met criteria, but counts only {selected}",
                                  "ask for at most {selected}, or 'all', or a percentage such as 50%"),
    "method.duplicate_stage": ("two stages have the identifier '{stage_id}'", "give each stage its own identifier"),
    "method.duplicate_item": ("two checklist items of the stage '{stage_id}' have the identifier '{item_id}'",
                              "give each item of a stage its own identifier"),
    "method.reserved_stage_id": ("the stage identifier '{stage_id}' is taken by a part of the method's page",
                                 "choose another identifier: not facts, summary, hromada, legal-basis, sources, related, nor one starting with plan- or kb-"),
    "standard.duplicate_criterion": ("two criteria have the identifier '{criterion_id}'", "give each criterion its own identifier"),
    "act.unit_id": ("the identifier '{unit_id}' does not match its place and number (expected '{expected}')",
                    "identifiers are built from the numbers: {example} is art. 17 ust. 1 pkt 2"),
    "act.eli_url": ("the ELI address '{address}' is not the address of the ELI '{eli}'",
                   "write the ELI's own address, e.g. https://eli.gov.pl/eli/{eli}/ogl, or correct eli:"),
    "act.duplicate_unit": ("the identifier '{unit_id}' is used twice in this act", "each unit needs its own identifier"),
    # -- what a value may hold: characters, length, names the site keeps for itself ----------
    "text.hidden_character": ("{label}: contains the invisible character {character} (character {position} of the value)",
                              "delete it, retyping the words around it if your editor does not show it; line breaks and tabs "
                              "belong only in Markdown texts, and control characters, text-direction marks and zero-width "
                              "characters in none (they come with text copied from PDFs, chats and word processors)"),
    "text.too_long": ("{label}: {length} characters, more than the {limit} allowed",
                      "shorten it to at most {limit} characters; details belong in the record's longer texts or its sources"),
    "record.reserved_id": ("the identifier '{name}' is a name the site uses for its own pages, or one Windows refuses as a file name",
                           "choose another identifier; these are reserved: {reserved}"),
    "taxonomy.reserved_term": ("the term identifier '{name}' is a name the site uses for its own pages, or one Windows refuses as a file name",
                               "choose another identifier and change it in the records that use it; these are reserved: {reserved}"),
    # -- interface text --------------------------------------------------------------------
    "label.missing": ("the interface text '{key}' has no {language} version",
                      "add `{lang}: …` to {key} in scripts/kb/labels.yml"),
    "label.undefined": ("the interface text '{key}' is not in labels.yml",
                        "add {key} to scripts/kb/labels.yml with its text in pl, uk and en"),
    # -- the disk (a command could not write or read a file or folder) -----------------------
    "disk.permission": ("{path} cannot be written: permission denied",
                        "make {path} and the folder holding it writable for the user running kb (ls -ld {path}), "
                        "or work in a copy of the knowledge base that is yours; site/ was left as it was"),
    "disk.read_only": ("{path} cannot be written: the file system is read-only",
                       "run kb on a copy of the knowledge base on a writable disk; site/ was left as it was"),
    "disk.full": ("{path} cannot be written: no space left on the disk",
                  "free some space on that disk (df -h shows how much is left; a build needs a few times the size of site/) "
                  "and run the command again; site/ was left as it was"),
    "disk.file_size_limit": ("{path} cannot be written: the file is larger than this process may write (its file size limit)",
                             "raise the limit (ulimit -f unlimited) and run the command again; site/ was left as it was"),
    "disk.link": ("{path} is a symbolic link, which kb does not follow: it writes and removes files in that folder",
                  "remove the link (rm {path}: what it points to stays) and run the command again; kb makes the folder itself"),
    "disk.error": ("{path} could not be written or read: {reason}",
                   "check that the path exists and the disk works, then run the command again; site/ was left as it was"),
    "disk.mkdocs": ("MkDocs stopped with an error: {reason}",
                    "this is a problem in MkDocs, its theme or the kb plugin, not in the records: run again with KB_DEBUG=1 "
                    "to see MkDocs' full output, and report it; site/ was left as it was"),
    # -- translators' spreadsheets (kb translations import) ---------------------------------
    "sheet.unreadable": ("the file cannot be read as a spreadsheet ({reason})",
                         "save it as .xlsx (Excel workbook) or .csv (UTF-8) and import it again"),
    "sheet.too_many_rows": ("the sheet has more than {limit} rows below its header",
                            "import the file that `kb translations export` wrote, one language at a time"),
    "sheet.too_many_parts": ("the workbook is made of {count} parts; a translation sheet has at most {limit}",
                             "save it again from your spreadsheet program as one sheet, or import the .csv that the export wrote"),
    "sheet.part_too_large": ("the workbook's part {part} unpacks to {size} MB; at most {limit} MB are read",
                             "import the file that `kb translations export` wrote, one language at a time, or its .csv"),
    "sheet.expands_too_far": ("the workbook unpacks to {size} MB; at most {limit} MB are read",
                              "import the file that `kb translations export` wrote, one language at a time, or its .csv"),
    "sheet.packed_too_tightly": ("{part} unpacks to {ratio} times its packed size; a spreadsheet packs at most {limit} times",
                                 "the file is not a plain spreadsheet: save it again from your spreadsheet program, or import the .csv"),
    "sheet.header": ("the first row is not the header of a translation sheet",
                     "keep the first row as exported: {columns}"),
    "sheet.formula": ("row {row}, column {column}: the cell holds a formula ({value}), not a text; nothing was imported",
                      "type the text itself; a text that starts with =, +, - or @ goes into a CSV file behind an apostrophe: '{value}"),
    "sheet.error_value": ("row {row}, column {column}: the cell holds the error value {value}, not a text; nothing was imported",
                          "a formula failed there: type the text itself (in a CSV file, a text such as #N/A goes behind an apostrophe: '#N/A)"),
    "sheet.control_character": ("row {row}, column {column}: the cell contains an invisible control character (code {character:#06x})",
                                "delete the character; it often comes from copying text out of a PDF or word processor"),
    "sheet.cell_too_long": ("row {row}, column {column}: the cell holds {length} characters; a cell may hold at most {limit}",
                            "shorten the text, or translate it in the record file itself"),
    "sheet.language": ("row {row}: '{value}' is not a language of the site", "keep the language column as exported: {languages}"),
    "sheet.unknown_text": ("row {row}: there is no text {field} in {record}",
                           "keep the record and field columns as exported; export again if the record was renamed"),
    "sheet.duplicate_row": ("row {row}: the same text as row {first} ({record} › {field}, {language}); neither row was imported",
                            "keep one of the two rows and delete the other"),
    "sheet.source_changed": ("row {row}: the source text of {record} › {field} changed since the export; the translation was not imported",
                             "export again and translate the new source text"),
    "sheet.no_translator": ("row {row}: the status {status} says a person translated or checked this text, but the translator column is empty",
                            "write your name in the translator column; a translation made by software, an AI assistant included, is status machine"),
    "sheet.status": ("row {row}: '{value}' is not a translation status", "write one of: {choices}"),
    "sheet.overwrite": ("row {row}: '{value}' in the column overwrite", "write {mark} to put this row in place of the record's translation, or leave it empty"),
    "sheet.emptied": ("row {row}: the translation cell is empty, but the record has a translation; it was kept",
                      "to remove a translation, edit the record file itself"),
    "sheet.conflict": ("row {row}: the {language} translation of {record} › {field} or its status changed since the export{by}; "
                       "the row was not imported",
                       "export again and redo the row on what the record holds now, or write {mark} in the column overwrite "
                       "to put your row in its place"),
    "sheet.layout": ("row {row}: {file} cannot be rewritten without changing its layout (flow lists of fields), so it was left alone",
                     "write this translation into the file by hand, or rewrite the file's one-line lists of fields as indented blocks"),
    "sheet.invalid": ("row {row}: with this row imported, {file} would not pass kb validate: {problem}", "{hint}"),
    "sheet.validate_warning": ("row {row}: with this row imported, kb validate warns about {file}: {problem}", "{hint}"),
    "sheet.still_outdated": ("row {row}: imported, but other source texts of this part of {file} changed since the export, so it stays marked outdated",
                             "export again to see the changed texts, translate them and import once more"),
}


MAX_VALUE = 500  # characters of a value quoted in a message: enough to find it, never the whole of a huge one


def say(code: str, **values) -> tuple[str, str]:
    """(message, hint) of an issue code, filled in; a long value is cut, as the hint lists are."""
    message, hint = TEXTS[code]
    values = {key: clip(value) for key, value in values.items()}
    return message.format(**values), hint.format(**values)


def clip(value):
    return value[:MAX_VALUE] + "…" if isinstance(value, str) and len(value) > MAX_VALUE else value


def issue(file: str, line: int, col: int, code: str, /, *, at: str = "", severity: str = "error", **values) -> Issue:
    """An issue worded by the table; `at` is the dotted field it concerns."""
    message, hint = say(code, **values)
    return Issue(file, line, col, code, message, hint, at, severity)


def suggest(word, choices) -> str:
    """'did you mean …? ' for a near miss, else nothing."""
    close = difflib.get_close_matches(str(word), sorted(c for c in choices if isinstance(c, str)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def choices(values, limit: int = SHOWN_CHOICES) -> str:
    """Allowed values for a hint, all of them when there are few."""
    values = [str(value) for value in values]
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + f" … ({len(values)} in all)"


def unit_suggestion(unit_id, known) -> str:
    return units.suggestion(unit_id, known)


DISK_CODES = {errno.EACCES: "disk.permission", errno.EPERM: "disk.permission", errno.EROFS: "disk.read_only",
              errno.ENOSPC: "disk.full", errno.EDQUOT: "disk.full", errno.EFBIG: "disk.file_size_limit", errno.ELOOP: "disk.link"}


def disk_issue(error: OSError, root: Path) -> Issue:
    """A failed write (or read) of a command's own files, located at the path it concerned."""
    path = Path(error.filename) if isinstance(error.filename, (str, bytes, os.PathLike)) else root  # a descriptor is a number
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):  # a file that could not be made: its folder
        while not path.exists() and path.parent != path:
            path = path.parent
    shown = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else str(path)
    shown = shown if shown != "." else str(root)
    reason = error.strerror or str(error)
    return issue(shown, 1, 1, DISK_CODES.get(error.errno, "disk.error"), path=shown, reason=reason)


def language(lang) -> str:
    return LANGUAGE_NAMES.get(lang, str(lang))
