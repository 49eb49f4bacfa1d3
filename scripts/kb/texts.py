"""Multilingual text inside records: finding it by schema pattern, and fingerprinting the
source-language text that a translation was made from."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from .schemas import ANY, ANY_KEY

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--|<\?|<!\[CDATA\[", re.S)
UNSAFE_LINK = re.compile(r"(?:\]\(\s*<?|<|^\s*\[[^\]]*\]:\s*<?)\s*(?:javascript|vbscript|data)\s*:", re.I | re.M)


def iter_values(data, pattern: tuple, prefix: tuple = ()):
    """Yield (path, value) for every place in `data` matching a field pattern."""
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == ANY:
        if isinstance(data, list):
            for index, value in enumerate(data):
                yield from iter_values(value, rest, prefix + (index,))
    elif head == ANY_KEY:
        if isinstance(data, dict):
            for key, value in data.items():
                yield from iter_values(value, rest, prefix + (key,))
    elif isinstance(data, dict) and head in data:
        yield from iter_values(data[head], rest, prefix + (head,))


def scope_of(pattern: tuple, scopes: list[tuple]) -> tuple:
    """The innermost translation scope (an object with its own `translations`) holding a field."""
    owners = [scope for scope in scopes if pattern[:len(scope)] == scope]
    return max(owners, key=len)


def concrete_scopes(data, scope_pattern: tuple):
    """Concrete paths of objects matching a scope pattern, e.g. ('articles', 2)."""
    for path, value in iter_values(data, scope_pattern):
        if isinstance(value, dict):
            yield path, value


@dataclass(frozen=True)
class TextValue:
    """One multilingual text in a record: where it is, which translation scope owns it, its value."""

    path: tuple
    scope: tuple
    markdown: bool
    value: object  # {lang: text} when the record is well-formed


def collect_texts(data, fields, scopes) -> list[TextValue]:
    """Every multilingual text of a record, found once and reused by every check."""
    return [TextValue(path, scope_of(text_field.pattern, scopes), text_field.markdown, value)
            for text_field in fields for path, value in iter_values(data, text_field.pattern)]


def source_hash(texts: list[TextValue], scope_path: tuple, scope_pattern: tuple, lang: str) -> str:
    """12-hex fingerprint of the source-language text inside one translation scope.
    Whitespace is collapsed so that re-wrapping a paragraph does not mark translations outdated."""
    items = [[list(text.path[len(scope_path):]), " ".join(text.value[lang].split())] for text in texts
             if text.scope == scope_pattern and text.path[:len(scope_path)] == scope_path
             and isinstance(text.value, dict) and isinstance(text.value.get(lang), str)]
    payload = json.dumps(sorted(items, key=lambda item: json.dumps(item[0])), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def scope_hashes(data, texts: list[TextValue], scopes, lang: str):
    """Every translation scope in a record: (path, pattern, the object, fingerprint of its source text)."""
    for scope_pattern in scopes:
        for scope_path, scope in concrete_scopes(data, scope_pattern):
            yield scope_path, scope_pattern, scope, source_hash(texts, scope_path, scope_pattern, lang)
