"""Benchmark: a full crawl of a generated web against the extraction bound.

Serves ``simweb.generate`` (OUTLETS x ARTICLES pages on loopback), runs ``rassegna crawl`` on
it in a child process, and reports pages per second, CPU seconds per page and the peak
resident memory of the crawl; then runs trafilatura alone, and our whole extraction, over
the same pages in one process, which bounds what any crawl on this machine can reach; then
an incremental recrawl of the unchanged web. Prints a table; ``--json`` writes the figures.

    python tests/benchmarks/bench_crawl.py --outlets 40 --articles 50
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura
import yaml

from crawler.registry import parse_registry
from enrichment.enrich import process_page
from enrichment.extract import extract_page
from simweb.generate import generate_web
from simweb.server import Web

ROOT = Path(__file__).resolve().parents[2]


def _crawl(registry: Path, data_dir: Path, connect_to: str) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            "--sources",
            str(registry),
            "--connect-to",
            connect_to,
            "--data-dir",
            str(data_dir),
            "--json",
            "--set",
            "AUTOTHROTTLE_ENABLED=false",
            "--set",
            "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads(result.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall": wall,
        "cpu": cpu,
        "pages": summary["pages_fetched"],
        "articles": summary["articles"],
        "rss_mb": after.ru_maxrss / 1024,
        "errors": summary["errors"],
    }


def _article_pages(web: Web, registry_text: str) -> list[tuple[str, bytes]]:
    """Every article page of the generated web, read through its sitemaps."""
    from crawler.spiders.sitemaps import links_from_sitemap

    pages = []
    for outlet in yaml.safe_load(registry_text)["outlets"]:
        for sitemap in outlet.get("sitemaps", []):
            for link in links_from_sitemap(_get(web, sitemap)).articles:
                pages.append((link.url, _get(web, link.url)))
    return pages


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
        return connection.getresponse().read()
    finally:
        connection.close()


def _time_each(pages: list[tuple[str, bytes]], function: object) -> float:
    started = time.process_time()
    for url, body in pages:
        function(url, body)  # type: ignore[operator]
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    web, registry_text = generate_web(args.outlets, args.articles)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp, web:
        registry = Path(tmp) / "sources.yaml"
        registry.write_text(registry_text, encoding="utf-8")
        first = _crawl(registry, Path(tmp) / "data", web.connect_to)
        again = _crawl(registry, Path(tmp) / "data", web.connect_to)
        pages = _article_pages(web, registry_text)

    traf = _time_each(
        pages,
        lambda url, body: trafilatura.bare_extraction(
            body, url=url, with_metadata=True, include_comments=False
        ),
    )
    ours = _time_each(pages, lambda url, body: extract_page(body, url))
    registry = parse_registry(yaml.safe_load(registry_text))
    whole = _time_each(
        pages,
        lambda url, body: process_page(
            body, url, None, registry.outlet_for_url(url), registry.topic
        ),
    )
    n = len(pages)
    bound = n / traf * cores
    own_bound = n / whole * cores
    rows = [
        ("article pages in the web", f"{n}"),
        ("full crawl: pages fetched", f"{first['pages']:.0f} ({first['articles']:.0f} articles)"),
        ("full crawl: wall seconds", f"{first['wall']:.1f}"),
        ("full crawl: article pages/s", f"{first['articles'] / first['wall']:.1f}"),
        ("full crawl: CPU s per page (all processes)", f"{first['cpu'] / first['pages']:.4f}"),
        ("full crawl: peak RSS of one process, MB", f"{first['rss_mb']:.0f}"),
        ("trafilatura alone: ms CPU per page", f"{traf / n * 1000:.1f}"),
        (f"extraction bound on {cores} cores: pages/s", f"{bound:.1f}"),
        ("our extraction (trafilatura + fallbacks): ms CPU per page", f"{ours / n * 1000:.1f}"),
        ("extraction + enrichment: ms CPU per page", f"{whole / n * 1000:.1f}"),
        (f"extraction + enrichment bound on {cores} cores: pages/s", f"{own_bound:.1f}"),
        ("end-to-end / trafilatura bound", f"{first['articles'] / first['wall'] / bound:.0%}"),
        (
            "end-to-end / extraction + enrichment bound",
            f"{first['articles'] / first['wall'] / own_bound:.0%}",
        ),
        ("incremental recrawl: pages fetched", f"{again['pages']:.0f}"),
        ("incremental recrawl: wall seconds", f"{again['wall']:.1f}"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        sys.stdout.write(f"{label:<{width}}  {value}\n")
    if args.json:
        args.json.write_text(json.dumps(dict(rows), indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
