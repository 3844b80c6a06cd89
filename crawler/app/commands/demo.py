"""``rassegna demo``: the bundled simulated web, crawled, as a first look at the product.

The demo keeps to its own folder (``./rassegna-demo``), never the data dir of real work
(``./rassegna-data`` or ``RASSEGNA_DATA_DIR``): a first try cannot mix fictional outlets into
a real archive. Only an explicit ``--data-dir`` moves it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.app.options import Parser, Subcommands

DEMO_DIR = Path("rassegna-demo")


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    own = Parser(add_help=False)
    own.add_argument(
        "--data-dir",
        type=Path,
        default=DEMO_DIR,
        help=f"where the demo's store and rassegna go (default ./{DEMO_DIR}; "
        "RASSEGNA_DATA_DIR is not used, so real data is never touched)",
    )
    own.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-v info, -vv debug)"
    )
    demo = commands.add_parser(
        "demo",
        parents=[own],
        help="serve the bundled simulated web on loopback, crawl it and write a rassegna",
    )
    demo.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.demo import run_demo

    return run_demo(args.data_dir, sys.stdout, sys.stderr)
