"""``rassegna edition``: numbered editions of the rassegna, approved and sent (contract 6).

``new`` makes a draft for a period and prints its number; ``approve`` freezes it (every format
rendered now, in ``<data-dir>/editions/<N>/``: later crawls and desk edits do not change it);
``send`` delivers it once to each recipient (e-mail with the PDF attached, a summary with a
link elsewhere); ``list`` and ``show`` read them back. The actor is ``--by``, env
``RASSEGNA_USER``, else the OS user.

An unknown number, a draft to send or show, an edition approved twice, a reversed or empty
period, a recipient URL Apprise cannot use: one line on stderr, exit status 2, nothing changed.
A recipient that cannot be reached after the retries: one line, exit status 1, and the
recipients not reached wait, pending, for the next ``send``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.app.commands.review import actor_of
from crawler.app.options import Subcommands, iso_date, registry_of, store_of
from crawler.errors import UsageError

if TYPE_CHECKING:
    from search.editions.store import Delivery, Edition, EditionStore

FORMATS = ("html", "pdf", "docx", "md", "json")
_STATES = {"draft": "bozza", "approved": "approvata", "sent": "inviata"}
_QUIET = ("search.alerts.channels", "search.editions")
"""Loggers whose warnings the command's own lines already say (shown with -v)."""


def add(
    commands: Subcommands, common: argparse.ArgumentParser, sources: argparse.ArgumentParser
) -> None:
    edition = commands.add_parser(
        "edition", help="numbered editions of the rassegna: new, approve, send, list, show"
    )
    actions = edition.add_subparsers(dest="action", required=True, metavar="ACTION")
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--by", help="who acts (env RASSEGNA_USER; default: the OS user)")

    new = actions.add_parser(
        "new",
        parents=[common, sources, actor],
        help="a draft edition for a period; prints its number",
    )
    new.add_argument("--since", type=iso_date, required=True, help="first day (YYYY-MM-DD)")
    new.add_argument("--until", type=iso_date, required=True, help="last day (YYYY-MM-DD)")
    new.add_argument("--title", default="", help="what to call it (shown with its number)")
    new.set_defaults(run=run_new)

    approve = actions.add_parser(
        "approve",
        parents=[common, sources, actor],
        help="freeze the draft: every format rendered now and kept",
    )
    approve.add_argument("number", type=int, metavar="N", help="the edition's number")
    approve.set_defaults(run=run_approve)

    send = actions.add_parser(
        "send",
        parents=[common, sources, actor],
        help="send the approved edition to each recipient once",
    )
    send.add_argument("number", type=int, metavar="N", help="the edition's number")
    send.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="APPRISE_URL",
        help="a recipient (repeatable; env RASSEGNA_EDITION_URLS, space-separated; "
        "or 'editions:' in the registry)",
    )
    send.add_argument(
        "--again", action="store_true", help="send it again to every recipient, on purpose"
    )
    send.set_defaults(run=run_send)

    listing = actions.add_parser(
        "list", parents=[common], help="the editions: number, period, state, counts"
    )
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(run=run_list)

    show = actions.add_parser(
        "show", parents=[common], help="the frozen document of an approved edition"
    )
    show.add_argument("number", type=int, metavar="N", help="the edition's number")
    show.add_argument("--format", choices=FORMATS, required=True, help="the format to write")
    show.add_argument("--out", default="-", help="output file ('-' for stdout, text formats)")
    show.set_defaults(run=run_show)


def run_new(args: argparse.Namespace) -> int:
    from search.editions.freeze import new_edition

    store = store_of(args)
    try:
        edition = new_edition(
            args.data_dir,
            store,
            since=args.since,
            until=args.until,
            title=args.title,
            actor=actor_of(args),
        )
    finally:
        store.close()
    sys.stdout.write(f"{edition.number}\n")
    sys.stderr.write(
        f"Bozza: {_summary(edition)}. Per congelarla: rassegna edition approve {edition.number}\n"
    )
    return 0


def run_approve(args: argparse.Namespace) -> int:
    from search.editions.freeze import approve_edition

    _quiet(args)
    registry = registry_of(args)
    store = store_of(args)
    try:
        approval = approve_edition(
            args.data_dir, store, registry, args.number, actor=actor_of(args)
        )
    finally:
        store.close()
    edition = approval.edition
    sys.stdout.write(
        f"Approvata: {_summary(edition)}\n"
        f"Documenti congelati in {approval.folder}: {', '.join(edition.formats)}\n"
    )
    if approval.pdf_error:
        sys.stdout.write(f"{edition.note} ({approval.pdf_error})\n")
    return 0


def run_send(args: argparse.Namespace) -> int:
    from search.editions.send import (
        PUBLIC_URL_ENV,
        edition_recipients,
        retry_delays,
        send_edition,
    )
    from search.errors import DeliveryError

    _quiet(args)
    channels = edition_recipients(args.to, registry_of(args))

    def delivered(delivery: Delivery) -> None:
        sys.stdout.write(f"Inviata a {delivery.name}\n")
        sys.stdout.flush()

    try:
        report = send_edition(
            args.data_dir,
            args.number,
            channels,
            actor=actor_of(args),
            again=args.again,
            delays=retry_delays(),
            public_url=os.environ.get(PUBLIC_URL_ENV) or None,
            on_delivered=delivered,
        )
    except DeliveryError as exc:
        sys.stdout.flush()
        sys.stderr.write(f"rassegna edition: {exc}\n")
        return 1
    for delivery in report.uncertain:
        sys.stdout.write(
            f"Incerta: edizione {delivery.edition} a {delivery.name}: l'invio era in "
            "corso quando un comando si è interrotto; può essere arrivata o no, e non viene "
            "ripetuta (--again la invia di nuovo a tutti)\n"
        )
    edition = report.edition
    if report.already_sent:
        sys.stdout.write(
            f"Nulla da inviare: l'edizione {edition.number} è già stata inviata "
            f"({edition.sent_at}, {edition.sent_by}); --again la invia di nuovo a tutti\n"
        )
    else:
        sys.stdout.write(
            f"Inviata: {_summary(edition)}, a {len(report.delivered)} "
            f"destinatari{'o' if len(report.delivered) == 1 else ''} in questo invio\n"
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from search.editions.store import open_editions
    from search.files.data_dir import DataDir

    if not DataDir(args.data_dir).editions.exists():
        if not args.json:
            sys.stdout.write("Nessuna edizione (rassegna edition new --since D --until D)\n")
        return 0
    with open_editions(args.data_dir) as book:
        for edition in book.editions():
            if args.json:
                record = _record(edition, book)
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(_line(edition, book))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from search.editions.freeze import frozen_file
    from search.editions.store import open_editions
    from search.files.atomic import write_atomically

    if args.out == "-" and args.format in ("docx", "pdf"):
        raise UsageError(f"--format {args.format} needs --out FILE")
    with open_editions(args.data_dir) as book:
        edition = book.get(args.number)
    payload = frozen_file(args.data_dir, edition, args.format).read_bytes()
    if args.out == "-":
        sys.stdout.write(payload.decode("utf-8"))
    else:
        write_atomically(Path(args.out), payload)
        sys.stdout.write(f"{args.out}\n")
    return 0


def _quiet(args: argparse.Namespace) -> None:
    if args.verbose == 0:
        for name in _QUIET:
            logging.getLogger(name).setLevel(logging.ERROR)
        # Apprise's own warnings are the reasons our one line gives: it must still log them
        # (its results collect them), only not on stderr.
        logging.getLogger("apprise").propagate = False


def _summary(edition: Edition) -> str:
    from enrichment.vocabulary import italian_date, italian_number

    audience = italian_number(edition.audience) or "n.d."
    return (
        f"{edition.label}, dal {italian_date(edition.since)} al {italian_date(edition.until)}, "
        f"{edition.uscite} uscite, audience {audience}"
    )


def _record(edition: Edition, book: EditionStore) -> dict[str, Any]:
    from dataclasses import asdict

    record = asdict(edition)
    record["formats"] = list(edition.formats)
    record["deliveries"] = book.counts(edition.number)
    record["recipients"] = [
        {"name": d.name, "state": d.state, "sent_at": d.sent_at, "error": d.error}
        for d in book.deliveries(edition.number)
    ]
    return record


def _line(edition: Edition, book: EditionStore) -> str:
    from enrichment.vocabulary import italian_number

    counts = book.counts(edition.number)
    total = sum(counts.values())
    notes = []
    if total:
        notes.append(f"inviata a {counts['sent']} di {total}")
    if counts["uncertain"]:
        notes.append(f"{counts['uncertain']} incerte")
    if edition.state != "draft" and "pdf" not in edition.formats:
        notes.append("senza PDF")
    extra = f"  [{'; '.join(notes)}]" if notes else ""
    title = f"  {edition.title}" if edition.title else ""
    return (
        f"{edition.number:>3}  {_STATES[edition.state]:<9}  {edition.since} → {edition.until}  "
        f"{edition.uscite} uscite, audience {italian_number(edition.audience) or 'n.d.'}"
        f"{title}{extra}\n"
    )
