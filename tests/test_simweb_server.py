"""The simulated web: the loopback server, the bundled outlets and the generated benchmark web."""

from __future__ import annotations

import gzip
import html
import http.client
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate

import pytest
import yaml

from enrichment.registry import load_registry, parse_registry
from simweb import Page, Web
from simweb.content import build_web, expected, sources_path
from simweb.generate import generate_web, generated_mentions

_UNVERIFIED = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_UNVERIFIED.check_hostname = False
_UNVERIFIED.verify_mode = ssl.CERT_NONE


def _request(
    web: Web,
    host: str,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    tls: bool = False,
    method: str = "GET",
) -> tuple[http.client.HTTPResponse, bytes]:
    connection = _connection(web, host, tls=tls)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def _connection(web: Web, host: str, *, tls: bool) -> http.client.HTTPConnection:
    if not tls:
        return http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    context = _UNVERIFIED
    connection = http.client.HTTPSConnection("127.0.0.1", web.port, timeout=10, context=context)
    # SNI is the outlet's host name, as a crawler using --connect-to sends it.
    connection.sock = context.wrap_socket(
        socket.create_connection(("127.0.0.1", web.port), timeout=10), server_hostname=host
    )
    return connection


@pytest.fixture
def web() -> Iterator[Web]:
    server = Web()
    server.add("https://www.alfa.test/notizia/", Page("<p>alfa</p>"))
    server.add("https://www.beta.test/notizia/", Page("<p>beta</p>"))
    with server:
        yield server


# -- the server -----------------------------------------------------------------------------


def test_routes_by_host_header(web: Web) -> None:
    assert _request(web, "www.alfa.test", "/notizia/")[1] == b"<p>alfa</p>"
    assert _request(web, "www.beta.test", "/notizia/")[1] == b"<p>beta</p>"
    assert _request(web, "WWW.ALFA.TEST:443", "/notizia/")[1] == b"<p>alfa</p>"


def test_unknown_host_and_unknown_path_are_404(web: Web) -> None:
    assert _request(web, "www.gamma.test", "/notizia/")[0].status == 404
    assert _request(web, "www.alfa.test", "/altro/")[0].status == 404
    assert _request(web, "www.alfa.test", "/robots.txt")[0].status == 404
    assert web.fetch_count("https://www.alfa.test/altro/", status=404) == 1


def test_serves_tls_on_the_same_port_with_the_outlet_as_sni(web: Web) -> None:
    response, body = _request(web, "www.beta.test", "/notizia/", tls=True)
    assert (response.status, body) == (200, b"<p>beta</p>")
    assert _request(web, "www.alfa.test", "/notizia/")[1] == b"<p>alfa</p>"


def test_certificate_is_valid_for_every_host_under_the_web_ca(web: Web) -> None:
    web.add("https://www.aggiunto-dopo.test/", Page("tardi"))
    for host in ("www.alfa.test", "www.aggiunto-dopo.test"):
        context = ssl.create_default_context()
        web.ca.configure_trust(context)
        raw = socket.create_connection(("127.0.0.1", web.port), timeout=10)
        with context.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            assert tls.recv(12).startswith(b"HTTP/1.")


def test_fails_with_503_and_retry_after_then_serves(web: Web) -> None:
    web.add("https://www.alfa.test/lento/", Page("finalmente", fail_first=2))
    first, second, third = (_request(web, "www.alfa.test", "/lento/") for _ in range(3))
    assert [r[0].status for r in (first, second, third)] == [503, 503, 200]
    assert first[0].getheader("Retry-After") == "1"
    assert third[1] == b"finalmente"
    assert web.fetch_count("https://www.alfa.test/lento/") == 1
    assert web.fetch_count("https://www.alfa.test/lento/", status=None) == 3


def test_redirects_with_301_to_the_absolute_location(web: Web) -> None:
    web.add("https://www.alfa.test/vecchio/", Page("", redirect_to="https://www.alfa.test/nuovo/"))
    response, _ = _request(web, "www.alfa.test", "/vecchio/")
    assert response.status == 301
    assert response.getheader("Location") == "https://www.alfa.test/nuovo/"


def test_answers_304_to_a_matching_etag_and_200_when_the_body_changed(web: Web) -> None:
    response, _ = _request(web, "www.alfa.test", "/notizia/")
    etag = response.getheader("ETag")
    assert etag
    again, body = _request(web, "www.alfa.test", "/notizia/", {"If-None-Match": etag})
    assert (again.status, body) == (304, b"")
    web.add("https://www.alfa.test/notizia/", Page("<p>alfa, aggiornata</p>"))
    changed, body = _request(web, "www.alfa.test", "/notizia/", {"If-None-Match": etag})
    assert (changed.status, body) == (200, b"<p>alfa, aggiornata</p>")
    assert changed.getheader("ETag") != etag


def test_answers_304_to_if_modified_since_not_older_than_last_modified(web: Web) -> None:
    stamp = "Tue, 17 Oct 2023 08:40:00 GMT"
    web.add("https://www.alfa.test/feed/", Page("<rss/>", headers={"Last-Modified": stamp}))
    response, _ = _request(web, "www.alfa.test", "/feed/")
    assert response.getheader("Last-Modified") == stamp
    same, _ = _request(web, "www.alfa.test", "/feed/", {"If-Modified-Since": stamp})
    older, _ = _request(
        web, "www.alfa.test", "/feed/", {"If-Modified-Since": "Mon, 16 Oct 2023 08:40:00 GMT"}
    )
    assert (same.status, older.status) == (304, 200)


def test_a_non_conditional_page_always_answers_200(web: Web) -> None:
    web.add("https://www.alfa.test/sempre/", Page("x", conditional=False))
    response, _ = _request(
        web,
        "www.alfa.test",
        "/sempre/",
        {"If-Modified-Since": formatdate(time.time() + 3600, usegmt=True)},
    )
    assert response.status == 200
    assert response.getheader("ETag") is None


def test_tracking_parameters_reach_the_page_without_query_but_exact_queries_win(web: Web) -> None:
    web.add("https://www.alfa.test/articolo.php?id=2", Page("due"))
    tracked = "/notizia/?utm_source=rss&utm_medium=rss&fbclid=abc"
    assert _request(web, "www.alfa.test", tracked)[1] == b"<p>alfa</p>"
    assert _request(web, "www.alfa.test", "/articolo.php?id=2")[1] == b"due"
    assert _request(web, "www.alfa.test", "/articolo.php?id=3")[0].status == 404
    assert web.fetch_count("https://www.alfa.test" + tracked) == 1
    assert web.fetch_count("https://www.alfa.test/notizia/") == 0


def test_records_every_answered_request(web: Web) -> None:
    _request(web, "www.alfa.test", "/notizia/", {"User-Agent": "rassegna-test"})
    _request(web, "www.alfa.test", "/nessuna/", method="HEAD")
    first, second = web.hits
    assert (first.host, first.path, first.method, first.status) == (
        "www.alfa.test",
        "/notizia/",
        "GET",
        200,
    )
    assert first.headers["User-Agent"] == "rassegna-test"
    assert (second.method, second.status) == ("HEAD", 404)


def test_serves_latin1_bytes_untouched(web: Web) -> None:
    body = "<p>Perché la città è più bella</p>".encode("iso-8859-1")
    web.add(
        "http://www.alfa.test/vecchio.php?id=1",
        Page(body, content_type="text/html; charset=iso-8859-1"),
    )
    response, served = _request(web, "www.alfa.test", "/vecchio.php?id=1")
    assert served == body
    assert response.getheader("Content-Type") == "text/html; charset=iso-8859-1"


def test_encodes_str_bodies_with_the_declared_charset(web: Web) -> None:
    web.add(
        "https://www.alfa.test/l1/", Page("città", content_type="text/html; charset=iso-8859-1")
    )
    assert _request(web, "www.alfa.test", "/l1/")[1] == "città".encode("iso-8859-1")


def test_dynamic_site_answers_from_its_handler_after_stored_pages(web: Web) -> None:
    asked: list[str] = []

    def handler(target: str) -> Page | None:
        asked.append(target)
        return Page(f"pagina {target}") if target.startswith("/gen/") else None

    web.add_site("www.alfa.test", handler)
    assert _request(web, "www.alfa.test", "/gen/7?x=1")[1] == b"pagina /gen/7?x=1"
    assert _request(web, "www.alfa.test", "/notizia/")[1] == b"<p>alfa</p>"
    assert _request(web, "www.alfa.test", "/altro/")[0].status == 404
    assert "/notizia/" not in asked


def test_removed_page_is_404(web: Web) -> None:
    web.remove("https://www.alfa.test/notizia/")
    assert _request(web, "www.alfa.test", "/notizia/")[0].status == 404


def test_gzips_large_bodies_when_the_client_accepts_it(web: Web) -> None:
    text = "<p>" + "testo lungo " * 500 + "</p>"
    web.add("https://www.alfa.test/lungo/", Page(text))
    response, body = _request(web, "www.alfa.test", "/lungo/", {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body).decode() == text


def test_keeps_connections_alive_and_serves_many_at_once(web: Web) -> None:
    connection = _connection(web, "www.alfa.test", tls=True)
    for _ in range(3):
        connection.request("GET", "/notizia/", headers={"Host": "www.alfa.test"})
        assert connection.getresponse().read() == b"<p>alfa</p>"
    connection.close()

    results: list[bytes] = []
    lock = threading.Lock()

    def fetch(i: int) -> None:
        host = "www.alfa.test" if i % 2 else "www.beta.test"
        body = _request(web, host, "/notizia/", tls=bool(i % 3))[1]
        with lock:
            results.append(body)

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(results)) == [b"<p>alfa</p>", b"<p>beta</p>"]
    assert len(results) == 60


def test_stop_returns_promptly_with_an_idle_keep_alive_connection() -> None:
    web = Web()
    web.add("https://www.alfa.test/", Page("ok"))
    web.start()
    connection = _connection(web, "www.alfa.test", tls=False)
    connection.request("GET", "/", headers={"Host": "www.alfa.test"})
    connection.getresponse().read()
    started = time.monotonic()
    web.stop()
    connection.close()
    assert time.monotonic() - started < 2


def test_addresses_for_connect_to(web: Web) -> None:
    assert web.port > 0
    assert web.connect_to == f"::127.0.0.1:{web.port}"
    assert web.base("www.alfa.test") == "https://www.alfa.test"
    assert web.base("www.alfa.test", scheme="http") == "http://www.alfa.test"


# -- the bundled simulated web -----------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Iterator[Web]:
    with build_web() as server:
        yield server


def _get_url(web: Web, url: str) -> tuple[http.client.HTTPResponse, bytes]:
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    return _request(web, host, "/" + path, tls=scheme == "https")


def test_every_expected_mention_is_served_with_its_title(bundled: Web) -> None:
    mentions = expected()["mentions"]
    assert len(mentions) == 14
    for mention in mentions:
        response, body = _get_url(bundled, mention["url"])
        if response.status == 503:  # the planted fail-once page
            response, body = _get_url(bundled, mention["url"])
        assert response.status == 200, mention["url"]
        charset = response.getheader("Content-Type", "").rsplit("=", 1)[-1]
        assert mention["title"] in html.unescape(body.decode(charset)), mention["url"]


def test_not_items_are_reachable_pages_not_dead_links(bundled: Web) -> None:
    for entry in expected()["not_items"]:
        response, _ = _get_url(bundled, entry["url"])
        assert response.status in (200, 301), entry["url"]


def test_manifest_matches_the_registry(bundled: Web) -> None:
    registry = load_registry(sources_path())
    labels = {outlet.name for outlet in registry.outlets}
    for mention in expected()["mentions"]:
        outlet = registry.outlet_for_url(mention["url"])
        assert outlet is not None, mention["url"]
        if outlet.aggregator:
            assert mention["outlet"].startswith(outlet.name + " – ")
        else:
            assert mention["outlet"] == outlet.name
            assert mention["outlet"] in labels
        assert mention["category"] == outlet.category
    for outlet in registry.outlets:
        for _, url in outlet.entry_points(registry.topic.query):
            assert _get_url(bundled, url)[0].status == 200, url


def test_latin1_outlet_sends_real_latin1_bytes(bundled: Web) -> None:
    response, body = _request(bundled, "www.lucaniasera.test", "/articolo.php?id=5512")
    assert response.getheader("Content-Type") == "text/html; charset=iso-8859-1"
    assert "città".encode("iso-8859-1") in body
    assert "città".encode() not in body
    assert b"perch\xe9" in body.lower()
    assert b"pi\xf9" in body


def test_giant_article_weighs_megabytes(bundled: Web) -> None:
    path = "/2023/11/03/palermo-rete-lgnet2-ballaro-sportello-nuovi-arrivati/"
    _, body = _request(bundled, "www.concadoronotizie.test", path)
    assert len(body) > 3_000_000
    assert b"LgNet2" in body


def test_robots_rules_and_feed_last_modified_are_stable(bundled: Web) -> None:
    robots = _request(bundled, "www.cronacatorino.test", "/robots.txt")[1].decode()
    assert "Disallow: /riservato/" in robots
    assert (
        "Crawl-delay: 1" in _request(bundled, "www.boznertagblatt.test", "/robots.txt")[1].decode()
    )
    first, _ = _request(bundled, "www.cronacatorino.test", "/feed/")
    stamp = first.getheader("Last-Modified")
    assert stamp == "Wed, 25 Oct 2023 10:30:00 GMT"
    again, _ = _request(bundled, "www.cronacatorino.test", "/feed/", {"If-Modified-Since": stamp})
    assert again.status == 304


def test_wordpress_rest_search_lists_posts_with_link_title_and_date(bundled: Web) -> None:
    _, body = _request(bundled, "www.cronacatorino.test", "/wp-json/wp/v2/posts?search=lgnet2")
    (post,) = json.loads(body)
    assert post["link"].endswith("/2023/10/17/torino-rete-lgnet2-casa-servizi-inclusione/")
    assert "LgNet2" in post["title"]["rendered"]
    assert post["date"].startswith("2023-10-17")


# -- the generated benchmark web ----------------------------------------------------------------


def test_generated_web_is_deterministic_and_registry_is_valid() -> None:
    web_a, registry_a = generate_web(outlets=5, articles_per_outlet=10, seed=4)
    web_b, registry_b = generate_web(outlets=5, articles_per_outlet=10, seed=4)
    assert registry_a == registry_b
    assert generate_web(outlets=5, articles_per_outlet=10, seed=5)[1] != registry_a
    registry = parse_registry(yaml.safe_load(registry_a))
    assert len(registry.outlets) == 5
    assert all(o.feeds and o.sitemaps for o in registry.outlets)
    host = registry.outlets[2].urls[0]
    pages = []
    for web in (web_a, web_b):
        with web:
            sitemap = _request(web, host, "/sitemap.xml")[1].decode()
            article = re.findall(r"<loc>(.*?)</loc>", sitemap)[4]
            pages.append((article, _get_url(web, article)[1]))
    assert pages[0] == pages[1]


def test_generated_web_serves_feed_sitemap_and_articles() -> None:
    web, registry_text = generate_web(outlets=3, articles_per_outlet=30, seed=2)
    outlet = parse_registry(yaml.safe_load(registry_text)).outlets[0]
    host = outlet.urls[0]
    with web:
        sitemap = _request(web, host, "/sitemap.xml")[1].decode()
        urls = re.findall(r"<loc>(.*?)</loc>", sitemap)
        assert len(urls) == 30
        feed = _request(web, host, "/feed/", tls=True)[1].decode()
        assert len(re.findall(r"<item>", feed)) == 20
        response, body = _get_url(web, urls[-1])
        assert response.status == 200
        text = re.sub(r"<[^>]+>", "", body.decode())
        assert 3000 <= len(text) <= 12000
        assert _get_url(web, urls[-1])[1] == body
        assert _request(web, host, "/2023/10/01/inesistente-a99/")[0].status == 404


def test_about_two_percent_of_generated_articles_mention_lgnet2() -> None:
    mentions = generated_mentions(outlets=100, articles_per_outlet=50, seed=1)
    assert 60 <= len(mentions) <= 140
    web, _ = generate_web(outlets=100, articles_per_outlet=50, seed=1)
    with web:
        body = _get_url(web, mentions[0])[1]
    assert b"LgNet2" in body
