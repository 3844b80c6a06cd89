"""``rassegna reprocess``: extraction and enrichment again over the archived pages."""

from __future__ import annotations

import argparse
import sys

from crawler.app.options import Subcommands, registry_of, store_of


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    reprocess = commands.add_parser(
        "reprocess",
        parents=[common, sources],
        help="extract and enrich again every archived page (after an upgrade), without fetching",
    )
    reprocess.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.failures import utc_now
    from crawler.reprocess import reprocess

    registry = registry_of(args)
    store = store_of(args, writing=True)
    try:
        result = reprocess(args.data_dir, registry, store, now=utc_now())
    finally:
        store.close()
    sys.stdout.write(
        f"{result.records} archived pages read, {result.articles} articles, "
        f"{result.changed} items changed, {result.unattributed} of outlets no longer watched\n"
    )
    return 0
