"""Reporters: the same list of issues as text for editors, GitHub annotations plus a job
summary table, or JSON."""
from __future__ import annotations

import json
import os
import re

from .issues import Issue

# What a printed value may not carry as it is: line breaks (a value would start a line of its own,
# e.g. a fake "No problems found."), other control characters, text-direction and zero-width marks,
# separators other than the space: every character Python does not call printable.
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text) -> str:
    """Text on one line as it is written, whatever it holds: \\n, \\u202e … in place of the characters."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ESCAPES.get(char) or
                   (f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}") for char in text)


def _summary(issues: list[Issue]) -> str:
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    files = len({i.file for i in issues})
    if not issues:
        return "No problems found."
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}."


def format_text(issues: list[Issue]) -> str:
    lines = []
    for issue in issues:
        prefix = "" if issue.severity == "error" else "warning: "
        hint = f" ({issue.hint})" if issue.hint else ""
        lines.append(printable(f"{issue.file}:{issue.line}:{issue.col}: {prefix}{issue.code}: {issue.message}{hint}"))
    lines.append(_summary(issues))
    return "\n".join(lines)


def _escape_annotation(text: str) -> str:
    """A workflow command's data, escaped as GitHub's runner reads it back."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


def format_github(issues: list[Issue]) -> str:
    lines = []
    for issue in issues:
        level = "error" if issue.severity == "error" else "warning"
        message = f"{issue.code}: {issue.message}" + (f" ({issue.hint})" if issue.hint else "")
        lines.append(f"::{level} file={_escape_property(issue.file)},line={issue.line},col={issue.col},"
                     f"title={_escape_property(issue.code)}::{_escape_annotation(message)}")
    lines.append(_summary(issues))
    return "\n".join(lines)


# The punctuation of Markdown's inline syntax, which a backslash makes plain text: emphasis, code,
# links and images, the table's |, and the : and . of addresses GitHub would make links; HTML's
# characters, which entities do; and @, which GitHub makes a mention after rendering, whatever
# escapes it (a backslash or &#64;): an empty comment splits it from the name.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~:.])")
HTML_CHARACTERS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "@": "@<!-- -->"}


def _cell(text: str) -> str:
    """A value as plain text in a cell of the job summary's table."""
    escaped = MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(text))
    return "".join(HTML_CHARACTERS.get(char, char) for char in escaped)


def github_summary(issues: list[Issue]) -> str:
    """The full list as a Markdown table: GitHub shows only 10 annotations per step."""
    rows = ["## Knowledge base validation", "", _summary(issues), ""]
    if issues:
        rows += ["| File | Line | Column | Severity | Code | Problem | How to fix |", "|---|---|---|---|---|---|---|"]
        rows += [f"| {_cell(i.file)} | {i.line} | {i.col} | {i.severity} | `{i.code}` | {_cell(i.message)} | {_cell(i.hint)} |"
                 for i in issues]
    return "\n".join(rows) + "\n"


def format_json(issues: list[Issue]) -> str:
    errors = sum(i.severity == "error" for i in issues)
    return json.dumps({"errors": errors, "warnings": len(issues) - errors, "issues": [i.as_dict() for i in issues]},
                      ensure_ascii=False, indent=2)


def emit(issues: list[Issue], fmt: str, stream) -> None:
    if fmt == "json":
        stream.write(format_json(issues) + "\n")
        return
    stream.write((format_github(issues) if fmt == "github" else format_text(issues)) + "\n")
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary_path:
        with open(summary_path, "a", encoding="utf-8") as summary:
            summary.write(github_summary(issues))
