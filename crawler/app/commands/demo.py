"""``rassegna demo``: the bundled simulated web, crawled, as a first look at the product."""

from __future__ import annotations

import argparse
import sys

from crawler.app.options import Subcommands


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="serve the bundled simulated web on loopback, crawl it and write a rassegna",
    )
    demo.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.demo import run_demo

    return run_demo(args.data_dir, sys.stdout, sys.stderr)
