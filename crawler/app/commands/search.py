"""``rassegna search``: full-text search of the stored items.

Results show the press office's corrections; an excluded item is left out, as from the
rassegna (``rassegna review list --excluded`` lists those). The words and filters match the
stored data: a corrected value is shown, not searched.
"""

from __future__ import annotations

import argparse
import sys

from crawler.app.options import Subcommands, iso_date, store_of


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    search = commands.add_parser("search", parents=[common], help="full-text search of items")
    search.add_argument(
        "query",
        nargs="?",
        default="",
        help='words (Italian stemming), "a phrase", -excluded, a OR b',
    )
    search.add_argument("--city", help="only items about this city (e.g. Sassari)")
    search.add_argument("--category", help="only this category id (quotidiani, social...)")
    search.add_argument("--outlet", help="only this outlet (Testata label)")
    search.add_argument("--language", help="only this language (it, de...)")
    search.add_argument("--since", type=iso_date, help="first date included (YYYY-MM-DD)")
    search.add_argument("--until", type=iso_date, help="last date included (YYYY-MM-DD)")
    search.add_argument("--mentions", action="store_true", help="only items naming the topic")
    search.add_argument("--limit", type=int, default=20, help="at most this many results")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    search.add_argument(
        "--collapse",
        action="store_true",
        help="show each story once: copies on other outlets as 'anche su'",
    )
    search.set_defaults(run=run, words=True)


def run(args: argparse.Namespace) -> int:
    from crawler.app.console import print_results
    from search.desk.decisions import Desk, apply_all
    from search.files.data_dir import DataDir
    from search.store import SearchQuery

    query = SearchQuery(
        text=args.query,
        city=args.city,
        category=args.category,
        outlet=args.outlet,
        language=args.language,
        since=args.since,
        until=args.until,
        mentions_only=args.mentions,
        limit=args.limit,
    )
    decisions = Desk(DataDir(args.data_dir).desk).decisions()
    store = store_of(args)
    try:
        results = apply_all(store.search(query), decisions)
    finally:
        store.close()
    also = None
    if args.collapse:
        from search.syndication import group_copies

        groups = group_copies(results)
        results = [group[0] for group in groups]
        also = {
            g[0].article.url: tuple(dict.fromkeys(o.article.outlet for o in g[1:])) for g in groups
        }
    print_results(results, args.query, sys.stdout, as_json=args.json, also=also)
    return 0
