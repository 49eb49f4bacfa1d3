"""The `kb` command: validate, build, serve, new."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from . import DEFAULT_LANGUAGE, KINDS, LANGUAGES, SHARED_FILES, messages
from .build import DOCS_DIR, TRACEBACK, build_site, check, render, write_languages
from .processes import Stopped, stopping_on_signals
from .report import emit, format_text, printable


def _root(args) -> Path:
    return Path(args.root).resolve()


def cmd_validate(args) -> int:
    root = _root(args)
    checked = check(root)
    if not args.files:
        emit(checked.issues, args.format, sys.stdout)
        return 0 if checked.ok else 1
    # The whole knowledge base is checked (references and identifiers concern other files);
    # what is shown is what concerns the files named.
    named = {_shown(root, Path(name)) for name in args.files}
    issues = [issue for issue in checked.issues if issue.file in named]
    issues += [messages.issue(name, 1, 1, "file.not_a_record", file=name, folders=", ".join(f"{folder}/" for folder in KINDS.values()))
               for name in sorted(named) if not _is_record_file(root, name)]
    emit(issues, args.format, sys.stdout)
    return 1 if any(issue.severity == "error" for issue in issues) else 0


def _shown(root: Path, path: Path) -> str:
    """A path as issues name files: relative to the knowledge base, with forward slashes."""
    absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path)


def _is_record_file(root: Path, name: str) -> bool:
    path = Path(name)
    return (root / path).is_file() and (len(path.parts) == 2 and path.parts[0] in KINDS.values()
                                        or name in SHARED_FILES.values())


def cmd_build(args) -> int:
    root = _root(args)
    checked = check(root)
    if checked.issues or not checked.ok:
        emit(checked.issues, args.format, sys.stderr if checked.ok else sys.stdout)
    if not checked.ok or (args.strict and checked.issues):
        print("Nothing was built; the site/ folder is unchanged." + (" (--strict: warnings count as errors)" if checked.ok else ""),
              file=sys.stderr)
        return 1
    files = render(root, checked.kb)
    write_languages(files, root)
    pages = sum(path.endswith(".md") for path in files)  # the rest are downloads and charts
    if args.docs_only:
        print(f"Wrote {pages} pages to {DOCS_DIR}/")
        return 0
    result = build_site(root)
    output = result.stdout + result.stderr
    if result.returncode != 0 and TRACEBACK in output and not os.environ.get("KB_DEBUG"):  # MkDocs crashed
        raised = re.findall(r"^[A-Za-z_][\w.]*(?:Error|Exception)\b.*$", output, re.MULTILINE)
        reason = (raised or output.strip().splitlines())[-1].strip()
        print(_one_line(messages.issue("mkdocs.yml", 1, 1, "disk.mkdocs", reason=reason)), file=sys.stderr)
        return 1
    if result.returncode != 0:  # MkDocs' own lines quote pages: each shown on its own line, with nothing a terminal would act on
        sys.stderr.write("".join(printable(line) + "\n" for line in output.rstrip("\n").split("\n")))
        print("MkDocs failed; the site/ folder is unchanged.", file=sys.stderr)
        return 1
    print(f"Built {pages} pages into site/")
    return 0


def _one_line(issue) -> str:
    return format_text([issue]).splitlines()[0]


def cmd_serve(args) -> int:
    from .serve import port_taken, serve
    if port_taken(args.port):
        print(f"kb serve: port {args.port} on 127.0.0.1 is already in use (is another preview running?); "
              f"stop it, or choose another port: kb serve --port {args.port + 1}", file=sys.stderr)
        return 1
    return serve(_root(args), args.port, args.lang)


def cmd_new(args) -> int:
    from .skeleton import write_skeleton
    return write_skeleton(_root(args), args.kind, args.id, sys.stdout, sys.stderr)


def cmd_check_links(args) -> int:
    """Offline problems of form are errors (exit 1); what the web answers is only reported."""
    from .links import links_in, offline_issues, online_issues, page_issues
    from .load import ParseCache, load_tree
    from .render.routes import PAGES_DIR
    root = _root(args)
    tree, load_issues = load_tree(root, ParseCache())
    links = links_in(tree)
    issues = sorted(set(load_issues + offline_issues(links) + page_issues(root / PAGES_DIR, root)
                        + (online_issues(links, args.timeout, args.delay) if args.online else [])))
    emit(issues, args.format, sys.stdout)
    print(f"{len(links)} links in {len({link.document.path for link in links})} files"
          + (", each distinct address requested once." if args.online else " (not requested: add --online)."), file=sys.stderr)
    return 1 if any(issue.severity == "error" for issue in issues) else 0

def cmd_translations(args) -> int:
    from . import sheets
    if args.action == "status":
        return sheets.status(_root(args), sys.stdout)
    if args.action == "export":
        return sheets.export(_root(args), args.lang, Path(args.out) if Path(args.out).is_absolute() else _root(args) / args.out, sys.stdout)
    return sheets.import_sheet(_root(args), Path(os.path.abspath(args.file)), sys.stdout)  # a link is refused, not followed


def cmd_generate(args) -> int:
    from .editors import generate
    return generate(_root(args), args.check, sys.stdout)


def cmd_from_issue(args) -> int:
    from .forms import from_issue
    return from_issue(_root(args), Path(args.file), args.issue, args.date, sys.stdout)


def cmd_bench(args) -> int:
    from .tools.bench import run
    return run(_root(args), args.sizes, args.preview, Path(args.keep) if getattr(args, "keep", None) else None)


def cmd_search_eval(args) -> int:
    from .tools.search_eval import run
    return run(_root(args) / args.site, _root(args) / args.queries)


def _port(text: str) -> int:
    port = int(text) if text.isdigit() else -1
    if not 1024 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 1024 to 65535")
    return port


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keeps the command lists as written and says every option's default."""


FORMATS = ("text", "github", "json")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kb", description="Validate and publish the knowledge base.",
                                   formatter_class=_Formatter)
    main.add_argument("--root", default=".", help="folder of the knowledge base")
    commands = main.add_subparsers(dest="command", required=True, metavar="<command>", help="one of the commands below")
    groups: dict = {}

    def command(name: str, group: str, summary: str, run) -> argparse.ArgumentParser:
        groups.setdefault(group, []).append((name, summary))
        sub = commands.add_parser(name, description=summary, formatter_class=_Formatter)  # listed in the epilog
        sub.set_defaults(run=run)
        return sub

    validate = command("validate", "editors", "check every record and list all problems", cmd_validate)
    validate.add_argument("files", nargs="*", help="check just these record files (with the rules of the collection that concern them)")
    validate.add_argument("--format", choices=FORMATS, default="text", help="how to print the problems")
    build = command("build", "editors", "validate, then build the site into site/", cmd_build)
    build.add_argument("--format", choices=FORMATS, default="text", help="how to print the problems")
    build.add_argument("--strict", action="store_true", help="fail on warnings too (MkDocs always runs in strict mode)")
    build.add_argument("--docs-only", action="store_true", help="write the Markdown into build/docs without running MkDocs")
    serve = command("serve", "editors", "preview the site in one language on 127.0.0.1, refreshing when a record changes", cmd_serve)
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1, 1024 to 65535")
    serve.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language to preview")
    new = command("new", "editors", "write a commented skeleton of a new record", cmd_new)
    new.add_argument("kind", choices=list(KINDS), help="kind of record")
    new.add_argument("id", help="identifier: lower-case letters, digits and hyphens")
    links = command("check-links", "editors", "check every external link: form, scheme and repeats; with --online, request each", cmd_check_links)
    links.add_argument("--online", action="store_true", help="request each address (reports failures; never fails)")
    links.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer")
    links.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to the same host")
    links.add_argument("--format", choices=FORMATS, default="text", help="how to print the problems")
    translation = command("translations", "editors", "translation coverage; a spreadsheet for translators, and back", cmd_translations)
    actions = translation.add_subparsers(dest="action", required=True, metavar="<action>")
    actions.add_parser("status", help="coverage and outdated translations per language and kind")
    export = actions.add_parser("export", help="write an XLSX and a CSV with one row per text to translate",
                                formatter_class=_Formatter)
    export.add_argument("--lang", choices=LANGUAGES, required=True, help="the language to translate into")
    export.add_argument("--out", default="build/translations", help="folder for translations-<lang>.xlsx and .csv")
    imported = actions.add_parser("import", help="write a filled-in sheet (.xlsx or .csv) back into the records")
    imported.add_argument("file", help="the sheet, as exported and filled in")
    from_issue = command("from-issue", "editors", "turn a submitted practice form (an issue's body) into a record", cmd_from_issue)
    from_issue.add_argument("file", help="the issue's body, as a text file")
    from_issue.add_argument("--issue", help="the issue's number, noted in the record")
    from_issue.add_argument("--date", help="the record's updated date, YYYY-MM-DD (default: today)")
    generate = command("generate", "developers", "write the editor schemas, .vscode settings and issue forms from the schemas", cmd_generate)
    generate.add_argument("--check", action="store_true", help="only report generated files that are out of date")
    bench = command("bench", "developers", "build synthetic knowledge bases and print timings and sizes", cmd_bench)
    bench.add_argument("--sizes", type=int, nargs="+", default=[300, 1000], help="numbers of practices")
    bench.add_argument("--preview", action="store_true", help="also measure how fast the preview shows an edit")
    bench.add_argument("--keep", default=argparse.SUPPRESS,
                       help="keep the generated knowledge bases in this folder (default: a temporary folder, deleted afterwards)")
    search_eval = command("search-eval", "developers", "recall@5 of the built site's search on a query set, per language", cmd_search_eval)
    search_eval.add_argument("--site", default="site", help="the built site, from kb build")
    search_eval.add_argument("--queries", default="tests/search/queries.yml", help="query set")
    width = max(len(name) for entries in groups.values() for name, _ in entries)
    main.epilog = "\n\n".join(
        f"{title}:\n" + "\n".join(f"  {name:<{width}}  {summary}" for name, summary in groups[group])
        for group, title in (("editors", "commands for editors"), ("developers", "commands for developers")))
    main.epilog += "\n\nkb <command> --help describes a command's options."
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not (_root(args) / "schemas").is_dir():
        print(f"kb: {_root(args)} is not a knowledge base: it has no schemas/ folder (use --root)", file=sys.stderr)
        return 2
    try:
        with stopping_on_signals():
            return args.run(args)
    except Stopped as stop:  # its children are stopped and its temporary folders removed
        print(f"kb {args.command}: stopped by {stop}" + ("; site/ was left as it was." if args.command == "build" else "."),
              file=sys.stderr)
        return 128 + stop.signum
    except OSError as error:  # the disk (permissions, space, the file size limit), not a bug
        if os.environ.get("KB_DEBUG"):
            raise
        print(_one_line(messages.disk_issue(error, _root(args))), file=sys.stderr)
        return 1
    except Exception as error:  # never show editors a traceback; KB_DEBUG=1 shows it to developers
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: internal error ({type(error).__name__}: {error}). Please report it; "
              "run again with KB_DEBUG=1 to see the details.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
