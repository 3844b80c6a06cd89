"""``--connect-to``: the rules, then real Scrapy crawls whose connections they move."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from crawler.connect_to import ConnectTo, parse_rule, parse_rules, resolve, rules_from_env
from crawler.errors import ConnectToError
from crawler.settings import connect_to_settings
from simweb import Page, Web
from tests.conftest import ROOT


def test_empty_source_matches_every_host_and_port() -> None:
    rules = parse_rules(["::127.0.0.1:8443"])
    assert resolve(rules, "www.torinoggi.it", 443) == ("127.0.0.1", 8443)
    assert resolve(rules, "www.ansa.it", 80) == ("127.0.0.1", 8443)


def test_specific_rule_wins_in_order_and_others_pass_through() -> None:
    rules = parse_rules(["www.ansa.it:443:127.0.0.2:9000", "::127.0.0.1:8443"])
    assert resolve(rules, "www.ansa.it", 443) == ("127.0.0.2", 9000)
    assert resolve(rules, "www.ansa.it", 80) == ("127.0.0.1", 8443)
    assert resolve(parse_rules(["www.ansa.it:443:127.0.0.2:9000"]), "x.it", 443) == ("x.it", 443)


def test_empty_target_part_keeps_the_original() -> None:
    assert parse_rule("example.it:443::8443") == ConnectTo("example.it", 443, "", 8443)
    assert resolve(parse_rules(["example.it:443::8443"]), "example.it", 443) == ("example.it", 8443)
    assert resolve(parse_rules(["::127.0.0.1:"]), "a.it", 443) == ("127.0.0.1", 443)


def test_ipv6_targets_in_brackets() -> None:
    assert resolve(parse_rules(["::[::1]:8443"]), "a.it", 443) == ("::1", 8443)


@pytest.mark.parametrize("rule", ["127.0.0.1:8443", "a:b:c:d", "::", ":::", "a:1:b:99999"])
def test_malformed_rules_are_refused_with_the_rule_named(rule: str) -> None:
    with pytest.raises(ConnectToError, match="--connect-to"):
        parse_rule(rule)


def test_rules_come_from_the_environment_when_no_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASSEGNA_CONNECT_TO", "a.it:443:127.0.0.1:1 ::127.0.0.1:2")
    assert len(rules_from_env([])) == 2
    assert rules_from_env(["::127.0.0.1:3"]) == (ConnectTo("", None, "127.0.0.1", 3),)


def test_a_rule_prints_as_connect_to_takes_it() -> None:
    for rule in ("www.ansa.it:443:127.0.0.2:9000", "::[::1]:8443", "example.it:443::8443"):
        assert str(parse_rule(rule)) == rule


# --- a real Scrapy crawl, in its own process (a reactor runs once per process) ---------------


def fetch_in_this_process(rules: list[str], urls: list[str], lookup: str | None = None) -> None:
    """Fetch ``urls`` with Scrapy under ``rules`` (resolving ``lookup`` first, without a port)
    and print, as JSON, what came back and which name resolver the reactor had after the crawl."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.python.failure import Failure

    results: list[dict[str, Any]] = []

    class Fetch(scrapy.Spider):
        name = "fetch"

        async def start(self) -> AsyncIterator[scrapy.Request]:
            if lookup:
                from twisted.internet import reactor

                address = await maybe_deferred_to_future(reactor.resolve(lookup))  # type: ignore[arg-type]
                results.append({"lookup": lookup, "address": address})
            for url in urls:
                yield scrapy.Request(url, self.got, errback=self.failed)

        def got(self, response: Response) -> None:
            results.append({"url": response.url, "status": response.status, "body": response.text})

        def failed(self, failure: Failure) -> None:
            url = failure.request.url  # type: ignore[attr-defined]
            results.append({"url": url, "error": repr(failure.value)})

    settings = {
        **connect_to_settings(parse_rules(rules)),
        "ROBOTSTXT_OBEY": False,
        "RETRY_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 20,
        "LOG_LEVEL": "WARNING",
    }
    process = CrawlerProcess(settings, install_root_handler=False)
    process.crawl(Fetch)
    process.start()
    from twisted.internet import reactor

    resolver = type(reactor.nameResolver).__name__  # type: ignore[attr-defined]
    print(json.dumps({"results": results, "resolver_after": resolver}))


def fetch(rules: list[str], urls: list[str], lookup: str | None = None) -> dict[str, Any]:
    call = f"fetch_in_this_process({rules!r}, {urls!r}, {lookup!r})"
    result = subprocess.run(
        [sys.executable, "-c", f"from tests.test_connect_to import fetch_in_this_process; {call}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fetched: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    assert fetched["resolver_after"] != "ConnectToResolver", "left on the reactor after the crawl"
    return fetched


def by_url(fetched: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in fetched["results"]}


def test_a_crawl_connects_where_the_rules_say_and_keeps_the_real_names() -> None:
    with Web() as web:
        for url in ("https://www.alpha.test/", "http://www.beta.test/", "http://localhost/plain"):
            web.add(url, Page(f"page of {url}", content_type="text/plain"))
        rules = [
            f"www.alpha.test:443:127.0.0.1:{web.port}",  # an IP address, the port named
            f"www.beta.test::localhost:{web.port}",  # a name to resolve, any port
        ]
        unmatched = f"http://localhost:{web.port}/plain"  # resolves and connects as always
        urls = ["https://www.alpha.test/", "http://www.beta.test/", unmatched]
        got = by_url(fetch(rules, urls))
    assert set(got) == set(urls)
    assert got["https://www.alpha.test/"]["body"] == "page of https://www.alpha.test/"
    assert got["http://www.beta.test/"]["body"] == "page of http://www.beta.test/"
    assert got[unmatched]["body"] == "page of http://localhost/plain"
    assert web.server_names == ["www.alpha.test"]  # SNI: the URL's host, not the address
    hosts = {hit.host: hit.headers["Host"] for hit in web.hits}
    assert hosts == {
        "www.alpha.test": "www.alpha.test",
        "www.beta.test": "www.beta.test",
        "localhost": f"localhost:{web.port}",
    }


class _RecordingHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hosts.append(self.headers["Host"])  # type: ignore[attr-defined]
        body = b"over IPv6"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("::1", 0), _RecordingHandler)
        self.hosts: list[str] = []


@pytest.fixture
def ipv6_server() -> Iterator[_IPv6Server]:
    try:
        server = _IPv6Server()
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback: {exc}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_an_ipv6_address_is_a_target_too(ipv6_server: _IPv6Server) -> None:
    port = ipv6_server.server_address[1]
    got = by_url(fetch([f"::[::1]:{port}"], ["http://www.gamma.test/"]))
    assert got["http://www.gamma.test/"]["body"] == "over IPv6"
    assert ipv6_server.hosts == ["www.gamma.test"]


def test_a_lookup_without_a_port_is_no_connection_to_move() -> None:
    """``reactor.resolve`` (and ``connectTCP`` with a name) asks for an address only: a rule
    could move the host but not the port, so the name resolves as always."""
    fetched = fetch(["::127.0.0.2:1"], [], lookup="localhost")
    assert fetched["results"] == [{"lookup": "localhost", "address": "127.0.0.1"}]
