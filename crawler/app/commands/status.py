"""``rassegna status``: per outlet, the last crawl, its result and the next run."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.app.options import Subcommands, registry_of


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    status = commands.add_parser(
        "status",
        parents=[common, sources],
        help="per outlet: last crawl, its result and errors, items found, next scheduled run",
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.console import print_status
    from crawler.app.status import collect_status

    status = collect_status(args.data_dir, registry_of(args))
    if args.json:
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")
    else:
        print_status(status, sys.stdout)
    return 0
