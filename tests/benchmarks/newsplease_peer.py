"""The peer: news-please (PyPI ``news-please``) crawling the same web, from its own venv.

news-please brings its own Scrapy, newspaper4k, readability and langdetect, at versions
that need not match ours, so it lives in a separate venv (``/work/np-venv``, or
``$NEWSPLEASE_VENV``: ``python3 -m venv /work/np-venv && /work/np-venv/bin/pip install
news-please``; tested with Python 3.11 and news-please 1.6.16, no pins needed) and runs here
as a subprocess, in its normal mode: ``news-please -c DIR`` with
a ``sitelist.hjson`` of the outlets' front pages and its default SitemapCrawler, which reads
robots.txt, then the sitemap, then every article, through its default pipeline (newspaper4k
+ readability + date and language extractors, then HTML and JSON files).

The outlets' names are made up, so news-please reaches the web through ``forward_proxy``
(``http_proxy`` / ``https_proxy``, honoured by Scrapy and by the urllib probes news-please
makes before crawling). Only four settings of its shipped ``config.cfg`` change: the working
path, certificate checks off (the web's CA is a throwaway one), errors-only logging, and the
number of sites crawled in parallel.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench_web import Outlet
from procwatch import Usage, run_measured

from simweb.server import Web

NP_VENV = Path(os.environ.get("NEWSPLEASE_VENV", "/work/np-venv"))
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PeerCrawl:
    usage: Usage
    articles: int
    """JSON records news-please wrote: the pages it kept as articles."""
    requests: int
    """Requests the web answered during the crawl."""
    proxy_cpu: float
    """CPU seconds of the forward proxy, not charged to news-please."""
    server_cpu: float
    """CPU seconds of the web's server (this process) meanwhile."""
    parallel_sites: int


def available() -> bool:
    return (NP_VENV / "bin" / "news-please").exists()


def crawl(web: Web, outlets: list[Outlet], folder: Path, *, parallel_sites: int) -> PeerCrawl:
    """One news-please crawl of every outlet, to completion."""
    config_dir = folder / "np-config"
    config_dir.mkdir(parents=True)
    working = folder / "np-work"
    (config_dir / "config.cfg").write_text(
        _config(_shipped_config(), working, parallel_sites), encoding="utf-8"
    )
    sites = {"base_urls": [{"url": outlet.home} for outlet in outlets]}
    (config_dir / "sitelist.hjson").write_text(json.dumps(sites, indent=1), encoding="utf-8")
    proxy = subprocess.Popen(
        [sys.executable, str(HERE / "forward_proxy.py"), str(web.port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proxy.stdout is not None
        proxy_url = f"http://127.0.0.1:{proxy.stdout.readline().strip()}"
        env = {k: v for k, v in os.environ.items() if k.lower() not in {"no_proxy", "all_proxy"}}
        env |= {"http_proxy": proxy_url, "https_proxy": proxy_url, "HOME": str(folder)}
        served, cpu = len(web.hits), time.process_time()
        usage = run_measured(
            [str(NP_VENV / "bin" / "news-please"), "-c", f"{config_dir}/", "-no-confirm"],
            log=folder / "news-please.log",
            env=env,
        )
        served, cpu = len(web.hits) - served, time.process_time() - cpu
    finally:
        proxy.terminate()
        _, _, proxy_usage = os.wait4(proxy.pid, 0)
        proxy.returncode = 0
    articles = sum(1 for _ in (working / "data").rglob("*.json"))
    # news-please logs errors and carries on: a crawl that kept nothing failed all the same.
    if usage.returncode != 0 or articles == 0:
        raise RuntimeError(
            f"news-please exited {usage.returncode} with {articles} articles kept: "
            f"see {folder / 'news-please.log'}"
        )
    return PeerCrawl(
        usage=usage,
        articles=articles,
        requests=served,
        proxy_cpu=proxy_usage.ru_utime + proxy_usage.ru_stime,
        server_cpu=cpu,
        parallel_sites=parallel_sites,
    )


def _shipped_config() -> str:
    found = sorted(NP_VENV.glob("lib/python3*/site-packages/newsplease/config/config.cfg"))
    if not found:
        raise FileNotFoundError(f"news-please's config.cfg not found under {NP_VENV}")
    return found[0].read_text(encoding="utf-8")


def _config(shipped: str, working: Path, parallel_sites: int) -> str:
    changes = {
        "working_path": f"{working}/",
        "check_certificate": "False",
        "number_of_parallel_crawlers": str(parallel_sites),
        "LOG_LEVEL": "ERROR",
    }
    for key, value in changes.items():
        shipped, count = re.subn(
            rf"^{key}\s*=.*$", f"{key} = {value}", shipped, count=1, flags=re.MULTILINE
        )
        if count != 1:
            raise ValueError(f"news-please config.cfg has no {key!r} setting")
    return shipped
