"""``rassegna sources check``: the registry tried against the live sites (contract 7).

Run it before a campaign and now and then: sites move their feeds, drop ``www.``, change CMS.
The report says, outlet by outlet, which entry points work and what the site offers instead;
``--fix`` writes a corrected copy of the registry for a person to review and adopt. The check
only reads the sites (politely, as the crawl does) and never changes the registry it reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from crawler.app.options import Subcommands, registry_of
from crawler.errors import UsageError


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    group = commands.add_parser(
        "sources", help="the outlet registry: check it, list and add the outlets discovery found"
    )
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        parents=[common, sources],
        help="try every entry point, discover what each site offers, optionally write a fixed "
        "registry",
    )
    check.add_argument(
        "--outlet",
        action="append",
        default=[],
        metavar="NAME",
        help="check only this outlet (repeatable)",
    )
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.add_argument(
        "--fix",
        type=Path,
        metavar="OUT.yaml",
        help="write the registry with broken entry points replaced (a new file)",
    )
    check.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="H1:P1:H2:P2",
        help="as for crawl: fetch from another address",
    )
    check.add_argument(
        "--delay",
        type=float,
        default=None,
        metavar="SECONDS",
        help="pause between two requests to the same host (default 0.5)",
    )
    check.set_defaults(run=run_check)

    new = actions.add_parser(
        "new", parents=[common], help="the sites discovery found outside the registry"
    )
    new.add_argument("--json", action="store_true", help="one JSON object per site")
    new.set_defaults(run=run_new)

    adding = actions.add_parser(
        "add",
        parents=[common, sources],
        help="put a site discovery found into the registry file, with its category and audience",
    )
    adding.add_argument("host", metavar="HOST", help="the site, as 'sources new' lists it")
    adding.add_argument("--name", required=True, help="the outlet's name (Testata)")
    adding.add_argument("--category", required=True, help="one of the seven category ids")
    adding.add_argument(
        "--audience", type=int, default=None, help="certified audience (default: none, n.d.)"
    )
    adding.add_argument("--by", help="who acts (env RASSEGNA_USER; default: the OS user)")
    adding.set_defaults(run=run_add)


def run_check(args: argparse.Namespace) -> int:
    from crawler.check.fetcher import DELAY_SECONDS, PoliteFetcher
    from crawler.check.fix import write_fixed
    from crawler.check.outlets import check_registry
    from crawler.check.report import as_json, write_text
    from crawler.connect_to import rules_from_env
    from crawler.sources import bundled_sources
    from enrichment.vocabulary import ROME

    if args.fix is not None and args.fix.exists():
        raise UsageError(f"{args.fix}: already exists; give a new file for --fix")
    delay = DELAY_SECONDS if args.delay is None else args.delay
    if delay < 0:
        raise UsageError(f"--delay {delay}: must be zero or more seconds")
    rules = rules_from_env(args.connect_to)
    registry = registry_of(args)
    if args.outlet:
        registry = registry.select(args.outlet)
    checks = check_registry(registry, PoliteFetcher(rules, delay))
    if args.json:
        sys.stdout.write(json.dumps(as_json(checks), ensure_ascii=False, indent=2) + "\n")
    else:
        write_text(checks, sys.stdout)
    if args.fix is not None:
        source = Path(args.sources) if args.sources else bundled_sources()
        today = datetime.now(ROME).date().isoformat()
        fixed = write_fixed(source, checks, args.fix, today=today)
        sys.stderr.write(
            f"Scritto {args.fix}: {len(fixed.replaced)} punti d'ingresso sostituiti, "
            f"{len(fixed.kept)} non funzionanti lasciati con un commento.\n"
        )
    return 0


def run_new(args: argparse.Namespace) -> int:
    from crawler.app.options import store_of
    from search.desk.new_outlets import new_outlets

    store = store_of(args)
    try:
        waiting = new_outlets(store)
    finally:
        store.close()
    for outlet in waiting:
        if args.json:
            record = {
                "host": outlet.host,
                "label": outlet.label,
                "items": [stored.article.url for stored in outlet.items],
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{outlet.host}  «{outlet.label}»  {_uscite(len(outlet.items))}\n")
    if not waiting and not args.json:
        sys.stdout.write("Nessuna testata nuova da classificare.\n")
    return 0


def run_add(args: argparse.Namespace) -> int:
    from crawler.app.commands.review import actor_of
    from crawler.app.options import store_of
    from search.desk.decisions import Desk
    from search.desk.new_outlets import classify
    from search.files.data_dir import DataDir

    if not args.sources:
        raise UsageError(
            "give --sources FILE (or RASSEGNA_SOURCES): the registry to add the outlet to; "
            "the bundled registry is not edited"
        )
    store = store_of(args, writing=True)
    try:
        _, changed = classify(
            store,
            Desk(DataDir(args.data_dir).desk),
            registry_of(args),
            args.host,
            name=args.name,
            category=args.category,
            audience=args.audience,
            actor=actor_of(args),
        )
    finally:
        store.close()
    sys.stdout.write(
        f"{args.host}: aggiunta al registro {args.sources} come «{args.name}»; "
        f"{_uscite(changed)} aggiornat{'a' if changed == 1 else 'e'}\n"
    )
    return 0


def _uscite(count: int) -> str:
    return f"{count} uscit{'a' if count == 1 else 'e'}"
