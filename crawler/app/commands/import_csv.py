"""``rassegna import FILE``: manual and wire items from CSV or XLSX (contract 2), and
``rassegna import --template FILE``: the sheet to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.app.options import Subcommands, registry_of, store_of


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    imp = commands.add_parser(
        "import",
        parents=[common, sources],
        help="import manual or wire items from a CSV (Excel's too) or XLSX file",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="a .csv or .xlsx file")
    imp.add_argument(
        "--template",
        action="store_true",
        help="write an empty sheet to FILE instead (.csv or .xlsx): the header and one example",
    )
    imp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.failures import utc_now
    from crawler.imports import import_csv, write_template

    if args.template:
        write_template(args.file)
        sys.stdout.write(f"{args.file}: template written; fill it in, then rassegna import it\n")
        return 0
    registry = registry_of(args)
    store = store_of(args, writing=True)
    try:
        result = import_csv(args.file, store, registry, now=utc_now())
    finally:
        store.close()
    for error in result.errors:
        sys.stderr.write(error + "\n")
    sys.stdout.write(
        f"{args.file}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(result.errors)} rejected\n"
    )
    return 0
