"""``rassegna review``: the press office's decisions on the uscite (contract 5).

The crawler finds; the office decides what goes out. Each subcommand records one decision in
the desk (``<data-dir>/desk.sqlite``, apart from crawled data, so no crawl, import or
``reprocess`` undoes it) with the actor (``--by``, env ``RASSEGNA_USER``, else the OS user);
``review list`` shows the uscite with their state and ``review log`` who decided what.

A URL is accepted in any form that names a stored item: tracking parameters and a leading
``www.`` do not matter. An unknown URL or a bad value is one line and exit status 2, and
nothing is stored.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from crawler.app.options import Subcommands, store_of
from crawler.errors import UsageError

if TYPE_CHECKING:
    from search.desk.decisions import Decision, Desk
    from search.store import Store, StoredItem

_FIELDS = ("title", "journalist", "date", "outlet", "category", "audience", "city")


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    review = commands.add_parser(
        "review", help="the press office's decisions: exclude, correct, highlight, approve"
    )
    actions = review.add_subparsers(dest="action", required=True, metavar="ACTION")
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--by", help="who decides (env RASSEGNA_USER; default: the OS user)")

    def action(name: str, help_text: str, *, url: bool = True) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, parents=[common, actor], help=help_text)
        if url:
            parser.add_argument("url", metavar="URL", help="any address of the stored item")
        return parser

    listing = action("list", "the uscite with their state", url=False)
    listing.add_argument("--pending", action="store_true", help="only those not yet looked at")
    listing.add_argument("--excluded", action="store_true", help="only the excluded ones")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(run=run_list)

    exclude = action("exclude", "take the item out of the rassegna and every count")
    exclude.add_argument("--reason", required=True, help="why (kept in the log)")
    exclude.set_defaults(run=run_decision)
    action("restore", "undo an exclusion").set_defaults(run=run_decision)
    edit = action("edit", "correct fields of the item")
    edit.add_argument("--title", help="the headline as the rassegna prints it")
    edit.add_argument("--journalist", help='the byline as printed ("A. Gipponi"); "" clears it')
    edit.add_argument("--date", help="YYYY-MM-DD")
    edit.add_argument("--outlet", help="the Testata label")
    edit.add_argument("--category", help="a category id (quotidiani, social...)")
    edit.add_argument("--audience", help='a whole number, 0 or more; "" for not certified')
    edit.add_argument("--city", help='one of the network cities; "" clears it')
    edit.set_defaults(run=run_decision)
    highlight = action("highlight", 'put the item in "In evidenza"')
    highlight.add_argument("--off", action="store_true", help='take it out of "In evidenza"')
    highlight.set_defaults(run=run_decision)
    action("approve", "mark the item looked at (no longer pending)").set_defaults(run=run_decision)

    log = action("log", "who decided what, newest first", url=False)
    log.add_argument("url", metavar="URL", nargs="?", help="only this item's decisions")
    log.add_argument("--limit", type=int, default=200, help="at most this many entries")
    log.add_argument("--json", action="store_true", help="one JSON object per line")
    log.set_defaults(run=run_log)


def actor_of(args: argparse.Namespace) -> str:
    """``--by``, else ``RASSEGNA_USER``, else the user running the command."""
    if args.by:
        return str(args.by)
    if os.environ.get("RASSEGNA_USER"):
        return os.environ["RASSEGNA_USER"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "sconosciuto"


def find_item(store: Store, url: str) -> StoredItem:
    """The stored item that ``url`` names, with or without tracking parameters and ``www.``."""
    from enrichment.urls import canonical_url

    key = canonical_url(url)
    scheme, sep, rest = key.partition("://")
    other = rest[4:] if rest.startswith("www.") else f"www.{rest}"
    for candidate in (key, f"{scheme}{sep}{other}"):
        item = store.get(candidate)
        if item is not None:
            return item
    raise UsageError(f"{url}: no stored item has this address (see rassegna review list)")


def run_decision(args: argparse.Namespace) -> int:
    from search.desk.decisions import Desk
    from search.errors import DecisionError
    from search.files.data_dir import DataDir

    store = store_of(args)
    try:
        item = find_item(store, args.url)
        url = item.article.url
        desk = Desk(DataDir(args.data_dir).desk)
        before = desk.decision(url)
        try:
            after = _decide(desk, args, item, actor_of(args))
        except DecisionError as exc:
            raise UsageError(f"{args.url}: {exc}") from exc
        store.publish_decisions([url])
    finally:
        store.close()
    changed = after.version != (before.version if before else 0)
    sys.stdout.write(_said(args, after, changed) + "\n")
    return 0


def _decide(desk: Desk, args: argparse.Namespace, item: StoredItem, actor: str) -> Decision:
    url = item.article.url
    if args.action == "exclude":
        return desk.exclude(url, reason=args.reason, actor=actor)
    if args.action == "restore":
        return desk.restore(url, actor=actor)
    if args.action == "highlight":
        return desk.highlight(url, not args.off, actor=actor)
    if args.action == "approve":
        return desk.approve(url, actor=actor)
    changes = {name: getattr(args, name) for name in _FIELDS if getattr(args, name) is not None}
    if not changes:
        raise UsageError(
            "nothing to correct: give --title, --journalist, --date, --outlet, "
            "--category, --audience or --city"
        )
    current = {name: getattr(item.article, name) for name in _FIELDS}
    return desk.edit(url, changes, actor=actor, current=current)


def _said(args: argparse.Namespace, decision: Decision, changed: bool) -> str:
    """What the decision did, in Italian, on one line."""
    url = decision.url
    if not changed:
        return f"Nessuna modifica: {url}"
    if args.action == "exclude":
        return f"Esclusa dalla rassegna: {url} (motivo: {decision.reason})"
    if args.action == "restore":
        return f"Di nuovo nella rassegna: {url}"
    if args.action == "highlight":
        return f"{'Tolta da' if args.off else 'Messa in'} evidenza: {url}"
    if args.action == "approve":
        return f"Approvata: {url}"
    return f"Corretta: {url} ({', '.join(sorted(decision.corrections))})"


def run_list(args: argparse.Namespace) -> int:
    from search.desk.decisions import Desk, corrected
    from search.files.data_dir import DataDir
    from search.render.snapshot import select_items

    decisions = Desk(DataDir(args.data_dir).desk).decisions()
    store = store_of(args)
    try:
        items = select_items(store)
    finally:
        store.close()
    for item in items:
        decision = decisions.get(item.article.url)
        state = _state(decision)
        wanted = (args.pending and state == "pending") or (args.excluded and state == "excluded")
        if (args.pending or args.excluded) and not wanted:
            continue
        shown = corrected(item, decision)
        if args.json:
            sys.stdout.write(json.dumps(_record(shown, decision, state), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_line(shown, decision, state))
    return 0


_STATES = {"pending": "da vedere", "approved": "approvata", "excluded": "esclusa"}


def _state(decision: Decision | None) -> str:
    if decision is not None and decision.excluded:
        return "excluded"
    return "approved" if decision is not None and decision.reviewed else "pending"


def _record(item: StoredItem, decision: Decision | None, state: str) -> dict[str, Any]:
    a = item.article
    return {
        "url": a.url,
        "state": state,
        **{name: getattr(a, name) for name in _FIELDS},
        "excluded": bool(decision and decision.excluded),
        "reason": decision.reason if decision else None,
        "highlight": bool(decision and decision.highlight),
        "reviewed": bool(decision and decision.reviewed),
        "corrected": sorted(decision.corrections) if decision else [],
        "version": decision.version if decision else 0,
    }


def _line(item: StoredItem, decision: Decision | None, state: str) -> str:
    a = item.article
    notes = []
    if decision is not None:
        if decision.excluded:
            notes.append(f"motivo: {decision.reason}")
        if decision.highlight:
            notes.append("in evidenza")
        if decision.corrections:
            notes.append("corretti: " + ", ".join(sorted(decision.corrections)))
    extra = f"  [{'; '.join(notes)}]" if notes else ""
    return (
        f"{_STATES[state]:<10} {a.date or 'senza data':<10}  {a.outlet} — {a.title}{extra}\n"
        f"{'':<10} {a.url}\n"
    )


def run_log(args: argparse.Namespace) -> int:
    from search.desk.decisions import Desk
    from search.files.data_dir import DataDir

    url = None
    if args.url:
        store = store_of(args)
        try:
            url = find_item(store, args.url).article.url
        finally:
            store.close()
    for entry in Desk(DataDir(args.data_dir).desk).audit(url=url, limit=args.limit):
        if args.json:
            sys.stdout.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            continue
        change = f"  {entry.field}: {_shown(entry.before)} → {_shown(entry.after)}"
        sys.stdout.write(
            f"{entry.at}  {entry.actor}  {entry.action}  {entry.url}"
            f"{change if entry.field else ''}\n"
        )
    return 0


def _shown(value: str | None) -> str:
    return "(vuoto)" if value is None else repr(value)
