"""`kb check-links`: offline checks of form, scheme and repeats with located issues; --online
requests each address politely, reports failures and never fails."""
import http.server
import threading
import time

import pytest

from conftest import run_kb
from kb.links import MARKDOWN_LINK, as_ascii, form_problem

BAD_PRACTICE = """id: links-demo
lang: pl
title: {pl: Linki}
summary: {pl: "Opis z [odnośnikiem](https://przyklad/strona) i <http://example.org/plain>."}
actions: {pl: Działania.}
location: {country: pl}
themes: [ngo-cooperation]
target_groups: [ngos]
evidence: described
sources:
  - title: Źródło
    url: https://example.org/same
  - title: To samo źródło
    url: https://example.org/same/
updated: "2026-11-23"
"""


def test_form_problems():
    assert form_problem("https://www.gov.pl/web/rodzina") is None
    assert form_problem("https://żłobek.pl/x") is None  # an international domain name
    assert form_problem("mailto:biuro@example.org") is None
    assert "scheme" in form_problem("ftp://example.org/file")
    assert "space" in form_problem("https://example.org/a b")
    assert "host" in form_problem("https://example/")
    assert "host" in form_problem("https:///path")
    assert "punctuation" in form_problem("https://example.org/page.")
    assert form_problem("http://[::1") is not None  # malformed: reported, not raised
    assert form_problem("https://example.org:99999/") is not None


def test_addresses_are_found_whole_and_sent_as_http_expects():
    found = [next(group for group in match.groups() if group)
             for match in MARKDOWN_LINK.finditer("[w](https://pl.wikipedia.org/wiki/Gmina_(Polska)) i <https://example.org/x>")]
    assert found == ["https://pl.wikipedia.org/wiki/Gmina_(Polska)", "https://example.org/x"]
    assert as_ascii("https://żłobek.pl/zapisy/№1?q=ą b") == "https://xn--obek-z1a16a.pl/zapisy/%E2%84%961?q=%C4%85%20b"
    assert as_ascii("https://example.org/a%20b?x=1&y=2") == "https://example.org/a%20b?x=1&y=2"  # already encoded: kept


def test_offline_check_locates_each_problem(kb_copy):
    (kb_copy / "practices" / "links-demo.yml").write_text(BAD_PRACTICE, encoding="utf-8")
    code, out, err = run_kb("--root", kb_copy, "check-links")
    assert code == 1  # a malformed address is an error
    assert "practices/links-demo.yml:4:" in out and "link.form: the address 'https://przyklad/strona'" in out
    assert "link.insecure: 'http://example.org/plain'" in out
    assert "practices/links-demo.yml:14:10: warning: link.duplicate: 'https://example.org/same/' is already given in this record" in out
    assert "links in" in err and "add --online" in err


class _Site(http.server.BaseHTTPRequestHandler):
    """200, 404, a permanent move, a server that refuses HEAD, and one that never answers in time."""
    requests: list = []

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head):
        _Site.requests.append((time.monotonic(), self.command, self.path))
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/garbage":  # not HTTP at all
            self.wfile.write(b"NONSENSE\r\n\r\n")
            return
        if self.path == "/no-head" and head:
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/to-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://[::1]:{self.server.server_address[1]}/ok")
        elif self.path in ("/ok", "/no-head", "/slow", "/%C5%BC%C5%82obek"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Site.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_online_check_reports_failures_and_never_fails(kb_copy, local_site, monkeypatch):
    from kb import links
    monkeypatch.setattr(links, "public_address", lambda address: address == "127.0.0.1")  # the test's own server
    sources = "\n".join(f"  - title: Źródło {name}\n    url: {local_site}/{name}" for name in ("ok", "gone", "moved", "no-head", "slow", "garbage", "żłobek"))
    practice = BAD_PRACTICE.replace('"Opis z [odnośnikiem](https://przyklad/strona) i <http://example.org/plain>."', "Opis.")
    practice = practice.split("sources:")[0] + "sources:\n" + sources + '\nupdated: "2026-11-23"\n'
    (kb_copy / "practices" / "links-demo.yml").write_text(practice, encoding="utf-8")
    code, out, err = run_kb("--root", kb_copy, "check-links", "--online", "--timeout", "0.5", "--delay", "0.2")
    assert code == 0, out + err
    assert f"link.broken: '{local_site}/gone' answers with HTTP status 404" in out
    assert f"link.moved: '{local_site}/moved' now leads to '{local_site}/ok'" in out
    assert f"link.unreachable: '{local_site}/slow' could not be reached: no answer within the time limit" in out
    assert f"link.unreachable: '{local_site}/garbage' could not be reached" in out  # reported, not a crash
    assert not any(f"'{local_site}/żłobek'" in line for line in out.splitlines() if "insecure" not in line)  # sent encoded: 200
    online = [line for line in out.splitlines() if "link.insecure" not in line]  # local test server: plain http
    assert not any(f"'{local_site}/ok'" in line for line in online if "now leads to" not in line)
    assert not any(f"'{local_site}/no-head'" in line for line in online)  # refused HEAD, answered GET
    # Polite: the seven addresses of this host were asked one after another, the delay apart (a
    # redirect or a GET after a refused HEAD follows at once: it is the same check).
    firsts = [moment for moment, command, path in _Site.requests if command == "HEAD"]
    assert len(firsts) == 7
    assert all(later - earlier >= 0.19 for earlier, later in zip(firsts, firsts[1:]))


def test_online_check_never_requests_private_or_local_addresses(kb_copy, local_site, monkeypatch):
    """A record is untrusted: its links must not make the editor's machine ask its own services
    (loopback, the local network, a cloud's metadata address) for anything, not even by redirect."""
    from kb import links
    sources = f"  - title: Local\n    url: {local_site}/ok\n  - title: Metadata\n    url: http://169.254.169.254/latest/meta-data/\n"
    practice = BAD_PRACTICE.replace('"Opis z [odnośnikiem](https://przyklad/strona) i <http://example.org/plain>."', "Opis.")
    (kb_copy / "practices" / "links-demo.yml").write_text(practice.split("sources:")[0] + "sources:\n" + sources
                                                        + 'updated: "2026-11-23"\n', encoding="utf-8")
    _Site.requests = []
    code, out, err = run_kb("--root", kb_copy, "check-links", "--online", "--timeout", "0.5", "--delay", "0")
    assert code == 0 and _Site.requests == []
    assert f"link.unreachable: '{local_site}/ok' could not be reached: 127.0.0.1 is a private or local address" in out
    assert "'http://169.254.169.254/latest/meta-data/' could not be reached: 169.254.169.254 is a private or local address" in out
    for address, public in (("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("::1", False),
                            ("fe80::1%eth0", False), ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
                            ("::ffff:127.0.0.1", False), ("224.0.0.1", False), ("8.8.8.8", True), ("2001:4860:4860::8888", True)):
        assert links.public_address(address) == public, address
    # A redirect is a new connection, checked the same way.
    monkeypatch.setattr(links, "public_address", lambda address: address == "127.0.0.1")
    status, detail = links.PoliteFetcher(1, 0).status(f"{local_site}/to-loopback")
    assert status is None and "::1 is a private or local address" in detail
    assert [path for _, _, path in _Site.requests] == ["/to-loopback"]
