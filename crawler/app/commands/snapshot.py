"""``rassegna snapshot``: the rassegna in one format, for a period, a city or a category, with
the press office's decisions (``rassegna review``) applied."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.app.options import CATEGORY_IDS, FORMATS, Subcommands, iso_date, registry_of, store_of
from crawler.errors import UsageError


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    snap = commands.add_parser("snapshot", parents=[common, sources], help="write the rassegna")
    snap.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (contract 4), md, html, docx, pdf (needs Chromium) or csv",
    )
    snap.add_argument("--out", default="-", help="output file ('-' for stdout, text formats only)")
    snap.add_argument("--since", type=iso_date, help="first date included (YYYY-MM-DD)")
    snap.add_argument("--until", type=iso_date, help="last date included (YYYY-MM-DD)")
    snap.add_argument("--city", help="only the uscite about this city")
    snap.add_argument("--category", choices=list(CATEGORY_IDS), help="only this category")
    snap.add_argument(
        "--clippings",
        choices=["full", "excerpt", "none"],
        default="full",
        help="article texts in the document: full, excerpt (title, first lines, "
        "link: for publishing without reproducing articles) or none",
    )
    snap.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from search.desk.decisions import Desk
    from search.files.atomic import write_atomically
    from search.files.data_dir import DataDir
    from search.render import render
    from search.render.model import make_document

    if args.out == "-" and args.format in ("docx", "pdf"):
        raise UsageError(f"--format {args.format} needs --out FILE")
    registry = registry_of(args)
    decisions = Desk(DataDir(args.data_dir).desk).decisions()
    store = store_of(args)
    try:
        document = make_document(
            store,
            registry,
            since=args.since,
            until=args.until,
            city=args.city,
            category=args.category,
            clippings=args.clippings,
            decisions=decisions,
        )
    finally:
        store.close()
    payload = render(document, args.format)
    if args.out == "-":
        sys.stdout.write(payload.decode("utf-8"))
    else:
        write_atomically(Path(args.out), payload)
        sys.stdout.write(f"{args.out}\n")
    return 0
