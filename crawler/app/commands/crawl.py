"""``rassegna crawl``: one crawl of the registry, to completion, with progress and a summary."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.app.options import Subcommands, overrides_of, registry_of, store_of


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
    crawl.add_argument("--json", action="store_true", help="print the summary as JSON")
    crawl.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.console import print_summary, progress_printer
    from crawler.connect_to import rules_from_env
    from crawler.crawl import run_crawl

    registry = registry_of(args)
    if args.outlet:
        registry = registry.select(args.outlet)
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
        )
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_summary(summary, sys.stdout)
    return 0
