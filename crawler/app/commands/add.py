"""``rassegna add URL``: one article the crawl missed, added by hand (contract 5).

What was read is printed field by field at once, so a wrong title, date or byline can be
corrected straight away with ``rassegna review edit``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import IO, TYPE_CHECKING

from crawler.app.options import CATEGORY_IDS, Subcommands, registry_of, store_of

if TYPE_CHECKING:
    from crawler.add import AddResult


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    parser = commands.add_parser(
        "add",
        parents=[common, sources],
        help="fetch one article by its URL and add it to the rassegna, mention or not",
    )
    parser.add_argument("url", metavar="URL")
    parser.add_argument(
        "--outlet", help="its outlet (Testata), when no outlet of the registry covers the URL"
    )
    parser.add_argument(
        "--category",
        metavar="CATEGORY",
        help=f"its category ({', '.join(CATEGORY_IDS)}); needed with a new --outlet",
    )
    parser.add_argument("--audience", type=int, metavar="N", help="the outlet's audience")
    parser.add_argument(
        "--date", metavar="DATE", help="the publication date (2023-10-19 or 19/10/2023)"
    )
    parser.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="as for crawl: fetch the URL from another address",
    )
    parser.add_argument(
        "--by",
        metavar="NAME",
        default=os.environ.get("RASSEGNA_USER") or None,
        help="who adds it, for the desk's audit log (env RASSEGNA_USER; default: your login)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from crawler.add import add_url
    from crawler.connect_to import rules_from_env

    rules = rules_from_env(args.connect_to)
    registry = registry_of(args)
    store = store_of(args, writing=True)
    try:
        result = add_url(
            args.url,
            registry=registry,
            store=store,
            data_dir=args.data_dir,
            connect_to=rules,
            outlet=args.outlet,
            category=args.category,
            audience=args.audience,
            date=args.date,
            actor=args.by or _login(),
        )
    finally:
        store.close()
    _show(result, sys.stdout)
    return 0


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "unknown"


def _show(result: AddResult, out: IO[str]) -> None:
    a = result.article
    state = "added" if result.created else ("updated" if result.changed else "already stored")
    rows = (
        ("title", a.title),
        ("date", a.date or "-"),
        ("journalist", a.journalist or "-"),
        ("outlet", a.outlet + ("" if result.outlet_in_registry else " (not in the registry)")),
        ("category", a.category),
        ("city", a.city or "-"),
        ("mentions", str(a.mentions)),
    )
    out.write(f"{a.url}: {state} as a manual uscita\n")
    out.write("".join(f"  {name:<11} {value}\n" for name, value in rows))
    out.write(f"A field read wrong? Correct it with: rassegna review edit {a.url}\n")
