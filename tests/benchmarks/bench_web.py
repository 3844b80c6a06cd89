"""The benchmark's web: ``simweb.generate`` plus a front page per outlet, and its pages.

news-please probes a site by opening its front page before it reads robots.txt, and the
generated outlets have none (404), so each gets a small one here; ``rassegna crawl`` reads
feeds and sitemaps only and never asks for it. The article pages are read back through the
sitemaps, exactly as a crawler finds them, for the extraction runs.
"""

from __future__ import annotations

import http.client
import pickle
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.spiders.sitemaps import links_from_sitemap
from simweb.generate import generate_web
from simweb.server import Page, Web


@dataclass(frozen=True)
class Outlet:
    name: str
    home: str
    """``https://HOST/``."""
    sitemap: str


def benchmark_web(outlets: int, articles: int) -> tuple[Web, str, list[Outlet]]:
    """The generated web (not started), its registry YAML and its outlets."""
    web, registry_text = generate_web(outlets, articles)
    listed = [
        Outlet(o["name"], f"https://{o['urls'][0]}/", o["sitemaps"][0])
        for o in yaml.safe_load(registry_text)["outlets"]
    ]
    for outlet in listed:
        web.add(outlet.home, Page(_front_page(outlet)))
    return web, registry_text, listed


def _front_page(outlet: Outlet) -> str:
    name = escape(outlet.name)
    return (
        f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{name}</title>'
        f'<link rel="alternate" type="application/rss+xml" href="{outlet.home}feed/">'
        f"</head><body><h1>{name}</h1><p>Le notizie di oggi.</p></body></html>"
    )


def save_article_pages(web: Web, outlets: list[Outlet], shards: int, folder: Path) -> list[Path]:
    """Every article page, fetched once and pickled into ``shards`` files of (url, body)."""
    buckets: list[list[tuple[str, bytes]]] = [[] for _ in range(shards)]
    index = 0
    for outlet in outlets:
        for link in links_from_sitemap(_get(web, outlet.sitemap)).articles:
            buckets[index % shards].append((link.url, _get(web, link.url)))
            index += 1
    paths = []
    for number, bucket in enumerate(buckets):
        path = folder / f"pages-{number}.pickle"
        path.write_bytes(pickle.dumps(bucket, protocol=pickle.HIGHEST_PROTOCOL))
        paths.append(path)
    return paths


def _get(web: Web, url: str) -> bytes:
    """GET over plain HTTP from the local web, with the outlet's Host header."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
    try:
        connection.request(
            "GET",
            parts.path + (f"?{parts.query}" if parts.query else ""),
            headers={"Host": parts.hostname or ""},
        )
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return body
    finally:
        connection.close()
