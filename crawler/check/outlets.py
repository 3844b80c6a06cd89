"""The whole registry checked: each outlet's entry points probed, then its sites explored.

Outlets are checked in a thread pool (a registry of fifty outlets on as many hosts takes about
as long as its slowest site); the shared ``PoliteFetcher`` keeps each host to one request at
a time. A closed outlet is listed, not fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from crawler.check.discover import discover
from crawler.check.fetcher import PoliteFetcher
from crawler.check.probe import probe
from crawler.check.results import EntryCheck, OutletCheck
from enrichment.registry import Outlet, Registry

WORKERS = 8
"""Outlets checked at once: enough for a quick check, few enough for a small machine."""


def check_registry(
    registry: Registry,
    fetcher: PoliteFetcher,
    *,
    on_done: Callable[[OutletCheck], None] | None = None,
) -> list[OutletCheck]:
    """Every outlet of ``registry`` checked, in registry order; ``on_done`` hears of each as
    it finishes (progress on a terminal)."""

    def one(outlet: Outlet) -> OutletCheck:
        result = check_outlet(outlet, registry.topic.query, fetcher)
        if on_done is not None:
            on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="sources-check") as pool:
        return list(pool.map(one, registry.outlets))


def check_outlet(outlet: Outlet, query: str, fetcher: PoliteFetcher) -> OutletCheck:
    if outlet.closed:
        return OutletCheck(outlet.name, closed=outlet.closed)
    templates = iter(outlet.search)
    checks: list[EntryCheck] = []
    for kind, url in outlet.entry_points(query):
        entry = next(templates) if kind == "search" else url
        checks.append(probe(kind, url, fetcher, entry=entry))
    found = discover(outlet, checks, fetcher, query)
    return OutletCheck(
        outlet.name,
        entry_points=tuple(checks),
        suggestions=found.suggestions,
        cms=found.cms,
        notes=found.notes,
    )
