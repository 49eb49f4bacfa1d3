"""Multilingual text inside records: finding it by schema pattern, and fingerprinting the
source-language text that a translation was made from."""
from __future__ import annotations

import hashlib
import json
import re

from .schemas import ANY

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


def source_hash(data, scope_path: tuple, scope_pattern: tuple, fields, scopes, lang: str) -> str:
    """12-hex fingerprint of the source-language text inside one translation scope.
    Whitespace is collapsed so that re-wrapping a paragraph does not mark translations outdated."""
    texts = []
    for text_field in fields:
        if scope_of(text_field.pattern, scopes) != scope_pattern:
            continue
        for path, value in iter_values(data, text_field.pattern):
            if path[:len(scope_path)] == scope_path and isinstance(value, dict) and isinstance(value.get(lang), str):
                texts.append([list(path[len(scope_path):]), " ".join(value[lang].split())])
    payload = json.dumps(sorted(texts, key=lambda item: json.dumps(item[0])), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
