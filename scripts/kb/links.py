"""`kb check-links`: every external link of the knowledge base (address fields and links inside
texts), checked offline for form, scheme and repetition, and with --online by requesting each
one. Link rot is reported, never fatal: a source that went offline is still the record's source."""
from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import LINK_SCHEMES, SHARED_FILES, files
from . import messages
from .issues import Issue
from .load import Document, Tree
from .validate.schema import make_issue

# Inside Markdown: [text](address), <address> and reference definitions [name]: address.
# An address may hold balanced parentheses: https://pl.wikipedia.org/wiki/Gmina_(Polska).
MARKDOWN_LINK = re.compile(r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))+)|<((?:https?|mailto):[^>\s]+)>|^\s*\[[^\]]*\]:\s*<?(\S+?)>?\s*$", re.M)
ADDRESS_KEYS = ("url", "eli_url")  # fields whose whole value is an address (the schemas' url definition)
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$|^\d{1,3}(?:\.\d{1,3}){3}$|^localhost$|^\[[0-9a-f:]+\]$")
USER_AGENT = "kb-check-links/1.0 (a knowledge base checking its sources; one request per host at a time)"


@dataclass(frozen=True)
class Link:
    document: Document
    path: tuple
    address: str


def links_in(tree: Tree) -> list[Link]:
    """Every external address, where it is: whole-value address fields and links in texts, in the
    records and the shared files (taxonomy, glossary)."""
    found = []
    documents = [document for kind in tree.records.values() for document in kind]
    documents += [getattr(tree, kind) for kind in SHARED_FILES if getattr(tree, kind, None) is not None]
    for document in documents:
        for path, value in _strings(document.data, ()):
            if path and path[-1] in ADDRESS_KEYS:
                found.append(Link(document, path, value.strip()))
            elif "](" in value or "<" in value or "]:" in value:
                for match in MARKDOWN_LINK.finditer(value):
                    address = next(group for group in match.groups() if group)
                    if not address.startswith(("#", "/", ".")) and ":" in address.split("/")[0]:
                        found.append(Link(document, path, address))
    return found


def page_issues(pages_dir: Path, root: Path) -> list[Issue]:
    """The hand-written pages' external links, checked for form like the records'."""
    issues = []
    for page in sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []:
        shown = page.relative_to(root).as_posix() if page.is_relative_to(root) else str(page)
        try:
            text = files.read_text(page, root, "page")
        except files.Refused as refused:
            issues.append(refused.issue)
            continue
        for match in MARKDOWN_LINK.finditer(text):
            address = next(group for group in match.groups() if group)
            problem = form_problem(address) if address.startswith(("http:", "https:", "mailto:")) else None
            if problem:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                issues.append(messages.issue(shown, line, start - text.rfind("\n", 0, start), "link.form",
                                             address=address[:120], problem=problem))
    return issues


def _strings(value, path):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, path + (index,))
    elif isinstance(value, str):
        yield path, value


def offline_issues(links: list[Link]) -> list[Issue]:
    """Form (a scheme we allow, a host that can exist, no spaces), plain http, and the same
    address twice in one record."""
    issues, seen = [], {}
    for link in links:
        problem = form_problem(link.address)
        if problem:
            issues.append(make_issue(link.document, link.path, "link.form", address=link.address[:120], problem=problem))
            continue
        if link.address.startswith("http://"):
            issues.append(make_issue(link.document, link.path, "link.insecure", address=link.address[:120], severity="warning"))
        key = (link.document.path, _normalised(link.address))
        if key in seen and seen[key] != link.path:
            issues.append(make_issue(link.document, link.path, "link.duplicate", address=link.address[:120],
                                     first=".".join(str(part) for part in seen[key]), severity="warning"))
        seen.setdefault(key, link.path)
    return issues


def form_problem(address: str) -> str | None:
    try:
        parts = urllib.parse.urlsplit(address)
        parts.port  # raises on a port that is not a number
    except ValueError as error:
        return str(error)
    if parts.scheme not in LINK_SCHEMES:
        return f"the scheme '{parts.scheme or '(none)'}' is not one of {', '.join(LINK_SCHEMES)}"
    if re.search(r"\s", address):
        return "it contains a space (write it as %20)"
    if parts.scheme == "mailto":
        return None if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", parts.path) else "it is not an e-mail address"
    try:
        host = (parts.hostname or "").lower()
        host = host if host.isascii() else host.encode("idna").decode("ascii")  # żłobek.pl → xn--…
    except (UnicodeError, ValueError):
        host = ""
    if not HOST.match(host):
        return f"'{parts.netloc or '(nothing)'}' is not a host name"
    if address[-1] in ".,;:":
        return f"it ends with '{address[-1]}', which is probably the sentence's punctuation"
    return None


def _normalised(address: str) -> str:
    try:
        parts = urllib.parse.urlsplit(address)
    except ValueError:
        return address
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/") or "/", parts.query, ""))


class PoliteFetcher:
    """One request at a time per host, at least `delay` seconds apart, each with a timeout."""

    def __init__(self, timeout: float, delay: float):
        self.timeout, self.delay = timeout, delay
        self.locks: dict = {}
        self.last: dict = {}
        self.guard = threading.Lock()

    def status(self, address: str) -> tuple[int | None, str]:
        """(HTTP status, where it ended up or what went wrong)."""
        host = urllib.parse.urlsplit(address).netloc.lower()
        with self.guard:
            lock = self.locks.setdefault(host, threading.Lock())
        with lock:
            wait = self.last.get(host, 0) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self._request(address, "HEAD")
            except urllib.error.HTTPError as error:
                if error.code in (403, 405, 501):  # servers that refuse HEAD: ask for the page itself
                    try:
                        return self._request(address, "GET")
                    except urllib.error.HTTPError as again:
                        return again.code, again.reason or ""
                    except (OSError, ValueError, http.client.HTTPException) as failure:
                        return None, _reason(failure)
                return error.code, str(error.reason or "")
            except (OSError, ValueError, http.client.HTTPException) as failure:
                return None, _reason(failure)
            finally:
                self.last[host] = time.monotonic()

    def _request(self, address: str, method: str) -> tuple[int, str]:
        request = urllib.request.Request(as_ascii(address), method=method, headers={"User-Agent": USER_AGENT})
        with OPENER.open(request, timeout=self.timeout) as response:
            return response.status, response.url


class NotPublic(OSError):
    """An address a record names (or a redirect leads to) that is not on the public internet."""


def public_address(address: str) -> bool:
    """Records are untrusted: checking their links must not make the editor's machine ask its
    own services (127.0.0.1, the local network, a cloud's metadata address) for anything."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


def _public_connection(target, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **options):
    """socket.create_connection to the first public address the host resolves to. Every
    connection, redirects included, is made here, to the address that was checked."""
    host, port = target[:2]
    failure: OSError = NotPublic(f"{host} is a private or local address, which is not requested")
    for family, kind, protocol, _, peer in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if not public_address(peer[0]):
            continue
        connection = socket.socket(family, kind, protocol)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                connection.settimeout(timeout)
            if source_address:
                connection.bind(source_address)
            connection.connect(peer)
            return connection
        except OSError as error:
            connection.close()
            failure = error
    raise failure


class _PublicHTTP(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, request):
        return self.do_open(_PublicHTTP, request)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, request):
        return self.do_open(_PublicHTTPS, request, context=self._context)


# Direct connections only (no proxy from the environment: the check is on the address connected to).
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _PublicHTTPHandler, _PublicHTTPSHandler)


def as_ascii(address: str) -> str:
    """The address as HTTP sends it: the host in IDNA, the path and query percent-encoded
    (https://żłobek.pl/zapisy/przedszkole-№1 → https://xn--obek-... /%E2%84%961); what is already
    encoded stays as it is."""
    parts = urllib.parse.urlsplit(address)
    host = parts.hostname.encode("idna").decode("ascii") if parts.hostname and not parts.hostname.isascii() else parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    keep = "/%:@!$&'()*+,;=-._~"
    return urllib.parse.urlunsplit((parts.scheme, netloc, urllib.parse.quote(parts.path, safe=keep),
                                    urllib.parse.quote(parts.query, safe=keep + "?"), ""))


def _reason(failure: Exception) -> str:
    reason = getattr(failure, "reason", None) or failure
    if isinstance(reason, NotPublic):
        return str(reason)
    return "no answer within the time limit" if "timed out" in str(reason) else str(reason)


def online_issues(links: list[Link], timeout: float = 10, delay: float = 1.0, workers: int = 4) -> list[Issue]:
    """Each distinct http(s) address requested once; failures and moves are warnings."""
    fetcher = PoliteFetcher(timeout, delay)
    unique: dict = {}
    for link in links:
        if link.address.startswith(("http://", "https://")) and form_problem(link.address) is None:
            unique.setdefault(link.address, []).append(link)
    with ThreadPoolExecutor(workers) as pool:
        answers = dict(zip(unique, pool.map(fetcher.status, unique)))
    issues = []
    for address, (status, detail) in answers.items():
        for link in unique[address]:
            if status is None:
                issues.append(make_issue(link.document, link.path, "link.unreachable", address=address[:120], reason=detail, severity="warning"))
            elif status >= 400:
                issues.append(make_issue(link.document, link.path, "link.broken", address=address[:120], status=status, severity="warning"))
            elif _normalised(detail) != _normalised(as_ascii(address)) and urllib.parse.urlsplit(detail).netloc:
                issues.append(make_issue(link.document, link.path, "link.moved", address=address[:120], target=detail[:120], severity="warning"))
    return issues
