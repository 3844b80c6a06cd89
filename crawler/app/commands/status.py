"""``rassegna status``: per outlet, the last crawl, its result and the next run.

On a registry of more than ``FULL_TABLE_UP_TO`` outlets the table lists only those that need a
look (``--all`` lists every one, ``--outlet`` the named ones); ``--json`` always has every
outlet selected, as scripts read it.
"""

from __future__ import annotations

import argparse
import json
import sys

from crawler.app.options import Subcommands, registry_of
from crawler.errors import UsageError

FULL_TABLE_UP_TO = 50
"""Registries up to this size get the full table by default: it fits a screen or two, and a
small office reads every row."""


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    status = commands.add_parser(
        "status",
        parents=[common, sources],
        help="per outlet: last crawl, its result and errors, items found, next scheduled run",
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.add_argument(
        "--all",
        action="store_true",
        help=f"list every outlet (default beyond {FULL_TABLE_UP_TO} outlets: only those flagged "
        "or with errors in their last crawl)",
    )
    status.add_argument(
        "--outlet",
        action="append",
        default=[],
        metavar="NAME",
        help="only this outlet (repeatable), in the table and in --json",
    )
    status.add_argument(
        "--shared-state",
        nargs="?",
        const="default",
        metavar="NAME",
        help="read the crawl state that distributed crawls keep in Redis under NAME "
        "(default 'default'; the URL from env RASSEGNA_REDIS_URL)",
    )
    status.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.status import collect_status

    registry = registry_of(args)
    if args.outlet:
        registry = registry.select(args.outlet)
    shared = None
    if args.shared_state is not None:
        import os

        from crawler.distributed.run import REDIS_URL_ENV, DistributedRun
        from crawler.distributed.state import RedisCrawlState

        if not os.environ.get(REDIS_URL_ENV):
            raise UsageError(f"--shared-state reads Redis at {REDIS_URL_ENV}, which is not set")
        redis_run = DistributedRun.from_args("", "status")
        redis_run.check()
        shared = RedisCrawlState.open(redis_run, args.shared_state)
    status = collect_status(args.data_dir, registry, shared_state=shared)
    if args.json:
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
        return 0
    from crawler.app.status_view import print_status

    full = args.all or bool(args.outlet) or len(registry.outlets) <= FULL_TABLE_UP_TO
    print_status(status, sys.stdout, full=full)
    return 0
