"""``rassegna crawl``: one crawl of the registry, to completion, with progress and a summary.

When the registry has a ``discovery`` section the crawl also asks the discovery sources once,
after the registry's entry points (contract 7), unless ``--no-discovery`` is given. A crawl of
named outlets (``--outlet``, as the service's scheduled crawls are) is about those outlets and
asks no discovery source; neither does a distributed crawl, whose workers share no memory for
the Google News lookups (``crawler.spiders.discovery_requests``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from crawler.app.options import Subcommands, overrides_of, registry_of, store_of
from crawler.errors import UsageError
from enrichment.registry import Outlet


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    crawl = commands.add_parser(
        "crawl", parents=[common, sources], help="crawl the registry once, to completion"
    )
    crawl.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="send connections for H1:P1 to H2:P2, as curl does "
        "(env RASSEGNA_CONNECT_TO, space-separated)",
    )
    crawl.add_argument(
        "--outlet",
        action="append",
        default=[],
        metavar="NAME",
        help="crawl only this outlet (repeatable)",
    )
    crawl.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting, e.g. --set CONCURRENT_REQUESTS=8",
    )
    crawl.add_argument(
        "--distributed",
        nargs="?",
        const="",
        metavar="REDIS_URL",
        help="be one worker of a crawl shared through Redis: no page is fetched twice across "
        "workers (URL redis://[:password@]host:port/db, or env RASSEGNA_REDIS_URL)",
    )
    crawl.add_argument(
        "--run-id",
        metavar="ID",
        help="with --distributed: the crawl's name; every worker of one crawl uses the same, "
        "each new crawl a new one",
    )
    crawl.add_argument(
        "--shared-state",
        nargs="?",
        const="default",
        metavar="NAME",
        help="with --distributed: keep the crawl state (pages done, validators, retries) in "
        "the run's Redis under NAME (default 'default') instead of the data dir, so workers "
        "on several machines share it",
    )
    crawl.add_argument(
        "--no-discovery",
        action="store_true",
        help="crawl only the registry's entry points, without asking the discovery sources "
        "(Google News, Bing News, GDELT) of the registry's 'discovery' section",
    )
    crawl.add_argument(
        "--discovery-only",
        action="store_true",
        help="ask only the discovery sources, none of the registry's entry points (the "
        "service's discovery job; the registry's outlets still attribute what is found)",
    )
    crawl.add_argument("--json", action="store_true", help="print the summary as JSON")
    crawl.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.console import print_summary, progress_printer
    from crawler.connect_to import rules_from_env
    from crawler.crawl import run_crawl

    registry = registry_of(args)
    if args.outlet:
        registry = registry.select(args.outlet)
    if args.discovery_only:
        if registry.discovery is None or args.no_discovery or args.outlet:
            raise UsageError(
                "--discovery-only needs a registry with a 'discovery' section, and no "
                "--no-discovery or --outlet"
            )
        registry = replace(registry, outlets=tuple(_attribution_only(o) for o in registry.outlets))
    elif args.no_discovery or args.outlet or args.distributed is not None or args.run_id:
        registry = replace(registry, discovery=None)
    rules = rules_from_env(args.connect_to)
    overrides = overrides_of(args.set)
    distributed = None
    if args.distributed is not None or args.run_id is not None:
        from crawler.distributed.run import DistributedRun

        distributed = DistributedRun.from_args(args.distributed, args.run_id)
        distributed.check()
    store = store_of(args, writing=True)
    try:
        summary = run_crawl(
            registry,
            store,
            args.data_dir,
            connect_to=rules,
            overrides=overrides,
            progress=progress_printer(sys.stderr),
            distributed=distributed,
            shared_state=args.shared_state,
        )
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_summary(summary, sys.stdout)
    return 0


def _attribution_only(outlet: Outlet) -> Outlet:
    """The outlet without entry points: it still claims its pages that discovery finds."""
    return replace(outlet, feeds=(), sitemaps=(), pages=(), search=())
