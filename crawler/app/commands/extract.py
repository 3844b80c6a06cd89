"""``rassegna extract``: one page through extraction and enrichment, to see why it matched."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.app.options import Subcommands, registry_of


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    extract = commands.add_parser(
        "extract",
        parents=[common, sources],
        help="run one page through extraction and enrichment, to see why it matched or not",
    )
    extract.add_argument("page", metavar="FILE_OR_URL")
    extract.add_argument("--url", help="the page's address, when FILE_OR_URL is a saved file")
    extract.add_argument("--json", action="store_true", help="print the record as JSON")
    extract.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="as for crawl: fetch the URL from another address",
    )
    extract.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.app.console import print_record
    from crawler.connect_to import rules_from_env
    from crawler.one_page import extract_record

    rules = rules_from_env(args.connect_to)
    record = extract_record(args.page, args.url, registry_of(args), rules)
    if args.json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    else:
        print_record(record, sys.stdout)
    return 0
