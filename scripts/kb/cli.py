"""The `kb` command: validate, build, serve, new."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import DEFAULT_LANGUAGE, KINDS, LANGUAGES
from .build import ASSETS, DOCS_DIR, build_site, check, render, write_docs
from .report import emit


def _root(args) -> Path:
    return Path(args.root).resolve()


def cmd_validate(args) -> int:
    checked = check(_root(args))
    emit(checked.issues, args.format, sys.stdout)
    return 0 if checked.ok else 1


def cmd_build(args) -> int:
    root = _root(args)
    checked = check(root)
    if checked.issues or not checked.ok:
        emit(checked.issues, args.format, sys.stderr if checked.ok else sys.stdout)
    if not checked.ok:
        print("Nothing was built; the site/ folder is unchanged.", file=sys.stderr)
        return 1
    files = render(root, checked.kb)
    write_docs(files, root / DOCS_DIR, root / ASSETS)
    if args.docs_only:
        print(f"Wrote {len(files)} pages to {DOCS_DIR}/")
        return 0
    result = build_site(root)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        print("MkDocs failed; the site/ folder is unchanged.", file=sys.stderr)
        return 1
    print(f"Built {len(files)} pages into site/")
    return 0


def cmd_serve(args) -> int:
    from .serve import serve
    return serve(_root(args), args.port, args.lang)


def cmd_new(args) -> int:
    from .skeleton import write_skeleton
    return write_skeleton(_root(args), args.kind, args.id, sys.stdout, sys.stderr)


def cmd_bench(args) -> int:
    from .bench import run
    return run(_root(args), args.sizes, args.preview, Path(args.keep) if args.keep else None)


def cmd_search_eval(args) -> int:
    from .search_eval import run
    return run(_root(args) / args.site, _root(args) / args.queries)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kb", description="Validate and publish the knowledge base.")
    main.add_argument("--root", default=".", help="folder of the knowledge base (default: current folder)")
    commands = main.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every record and list all problems")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text")
    validate.set_defaults(run=cmd_validate)
    build = commands.add_parser("build", help="validate, then build the site into site/")
    build.add_argument("--format", choices=("text", "github", "json"), default="text")
    build.add_argument("--docs-only", action="store_true", help="write the Markdown into build/docs without running MkDocs")
    build.set_defaults(run=cmd_build)
    serve = commands.add_parser("serve", help="preview the site in one language on 127.0.0.1, refreshing when a record changes")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language to preview (default: pl)")
    serve.set_defaults(run=cmd_serve)
    new = commands.add_parser("new", help="write a commented skeleton of a new record")
    new.add_argument("kind", choices=list(KINDS))
    new.add_argument("id", help="identifier: lower-case letters, digits and hyphens")
    new.set_defaults(run=cmd_new)
    bench = commands.add_parser("bench", help="build synthetic knowledge bases and print timings and sizes")
    bench.add_argument("--sizes", type=int, nargs="+", default=[300, 1000], help="numbers of practices (default: 300 1000)")
    bench.add_argument("--preview", action="store_true", help="also measure how fast the preview shows an edit")
    bench.add_argument("--keep", help="keep the generated knowledge bases in this folder")
    bench.set_defaults(run=cmd_bench)
    search_eval = commands.add_parser("search-eval", help="recall@5 of the built site's search on a query set, per language")
    search_eval.add_argument("--site", default="site", help="the built site (default: site, from kb build)")
    search_eval.add_argument("--queries", default="tests/search/queries.yml", help="query set (default: %(default)s)")
    search_eval.set_defaults(run=cmd_search_eval)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not (_root(args) / "schemas").is_dir():
        print(f"kb: {_root(args)} is not a knowledge base: it has no schemas/ folder (use --root)", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never show editors a traceback; KB_DEBUG=1 shows it to developers
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: internal error ({type(error).__name__}: {error}). Please report it; "
              "run again with KB_DEBUG=1 to see the details.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
