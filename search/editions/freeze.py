"""Creating and approving editions: the document of a period, frozen in every format.

``new_edition`` makes a draft for a period that has uscite (an empty period is refused: there
would be nothing to approve). ``approve_edition`` renders the document of the period now, with
the press office's decisions (``search.desk``) applied, in HTML, PDF, Word, Markdown and JSON,
writes the files to ``<data-dir>/editions/<N>/rassegna.<ext>`` and only then records the
approval: a failure on the way leaves a draft, never half an edition. Later crawls and desk
edits change the live rassegna and the next editions, never a frozen one.

The PDF needs Chromium (``search.render.pdf``). Without it the edition is still approved with
the other formats, the missing PDF is noted, and a send attaches the Word document instead.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from enrichment.registry import Registry
from search.desk.decisions import Decision, Desk
from search.editions.store import DRAFT, Edition, open_editions
from search.errors import EditionError, OutputError, RenderError
from search.files.atomic import write_atomically
from search.files.data_dir import DataDir
from search.render import render
from search.render.model import Document, build_document, document_options
from search.render.snapshot import select_items, snapshot_of
from search.store import Store, StoredItem

logger = logging.getLogger(__name__)

FROZEN_FORMATS = ("html", "pdf", "docx", "md", "json")
"""What approval keeps, in the order it renders them."""
NO_PDF_NOTE = (
    "PDF non prodotto: Chromium non era disponibile all'approvazione; "
    "l'invio allega il documento Word"
)


@dataclass(frozen=True)
class Approval:
    edition: Edition
    folder: Path
    """Where the frozen files are."""
    pdf_error: str | None = None
    """Why there is no PDF (Chromium missing or failed), else None."""


def check_period(since: str, until: str) -> None:
    """``EditionError`` for a date that is not ``YYYY-MM-DD`` or an end before the start."""
    try:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    except ValueError:
        raise EditionError(f"{since!r} to {until!r}: dates must be like 2023-10-19") from None
    if last < first:
        raise EditionError(f"the period ends ({until}) before it starts ({since})")


def period_items(
    store: Store, since: str, until: str, decisions: Mapping[str, Decision]
) -> list[StoredItem]:
    """The uscite of the period as the rassegna shows them now, decisions applied."""
    return select_items(store, since=since, until=until, decisions=decisions)


def new_edition(
    data_dir: Path,
    store: Store,
    *,
    since: str,
    until: str,
    title: str = "",
    actor: str,
    now: str | None = None,
) -> Edition:
    """A draft edition for the period; ``EditionError`` when the period has no uscite."""
    check_period(since, until)
    decisions = Desk(DataDir(data_dir).desk).decisions()
    stored = period_items(store, since, until, decisions)
    if not stored:
        raise EditionError(f"no uscite from {since} to {until}: no edition created")
    total = snapshot_of(stored, "", decisions)["total"]
    with open_editions(data_dir) as book:
        return book.create(
            since=since,
            until=until,
            title=" ".join(title.split()),
            actor=actor,
            uscite=total["uscite"],
            audience=total["audience"],
            now=now,
        )


def edition_document(
    store: Store, registry: Registry, edition: Edition, decisions: Mapping[str, Decision]
) -> Document:
    """The rassegna of the edition's period; the edition's number, title and period on its
    cover and the number in every page's running header."""
    stored = period_items(store, edition.since, edition.until, decisions)
    options = document_options(
        registry,
        edition=edition.number,
        edition_title=edition.title,
        period=(date.fromisoformat(edition.since), date.fromisoformat(edition.until)),
    )
    return build_document(stored, registry.topic.name, options, decisions)


def approve_edition(
    data_dir: Path,
    store: Store,
    registry: Registry,
    number: int,
    *,
    actor: str,
    now: str | None = None,
) -> Approval:
    """Freeze a draft: every format rendered now and kept; ``EditionError`` when it is not a
    draft or its period has no uscite any more (all excluded meanwhile)."""
    with open_editions(data_dir) as book, book.locked():
        edition = book.get(number)
        if edition.state != DRAFT:
            raise EditionError(
                f"edition {number} is already {edition.state} (on {edition.approved_at} by "
                f"{edition.approved_by}): its documents are frozen; make a new edition instead"
            )
        decisions = Desk(DataDir(data_dir).desk).decisions()
        document = edition_document(store, registry, edition, decisions)
        if document.total_uscite == 0:
            raise EditionError(
                f"edition {number}: no uscite from {edition.since} to {edition.until} any more "
                "(excluded meanwhile?): nothing to approve"
            )
        from search.render.pdf import print_to_pdf  # loads the HTML renderer: only here

        payloads: dict[str, bytes] = {}
        pdf_error = None
        for fmt in FROZEN_FORMATS:
            try:
                # The PDF is the HTML printed: print the page already rendered.
                pdf = fmt == "pdf" and "html" in payloads
                payloads[fmt] = print_to_pdf(payloads["html"]) if pdf else render(document, fmt)
            except RenderError as exc:
                if fmt != "pdf":
                    raise
                pdf_error = str(exc)
                logger.warning("Edition %d approved without PDF: %s", number, exc)
        folder = _freeze(book.folder, number, payloads)
        approved = book.approve(
            number,
            actor=actor,
            uscite=document.total_uscite,
            audience=document.total_audience,
            formats=list(payloads),
            note=NO_PDF_NOTE if pdf_error else None,
            now=now,
        )
    return Approval(approved, folder, pdf_error)


def frozen_file(data_dir: Path, edition: Edition, fmt: str) -> Path:
    """The frozen document of an approved edition in one format; ``EditionError`` for a
    draft, a format it does not have, or a file gone missing."""
    number = edition.number
    if fmt not in FROZEN_FORMATS:
        raise EditionError(f"unknown format {fmt!r}; one of {', '.join(FROZEN_FORMATS)}")
    if edition.state == DRAFT:
        raise EditionError(
            f"edition {number} is a draft: it has no frozen document until it is approved "
            f"(rassegna edition approve {number})"
        )
    if fmt not in edition.formats:
        others = ", ".join(f for f in edition.formats if f != fmt)
        raise EditionError(
            f"edition {number} has no {fmt.upper()}: Chromium was not available when it was "
            f"approved (it has {others})"
        )
    path = DataDir(data_dir).edition_files / str(number) / f"rassegna.{fmt}"
    if not path.is_file():
        raise EditionError(f"{path}: the frozen file is missing (restore it from a backup)")
    return path


def _freeze(root: Path, number: int, payloads: Mapping[str, bytes]) -> Path:
    """Write the files to a staging folder, then put it in place in one rename."""
    target = root / str(number)
    staging = root / f".{number}.staging"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        for fmt, payload in payloads.items():
            write_atomically(staging / f"rassegna.{fmt}", payload)
        if target.exists():
            # Left by an approval that stopped before it was recorded: the edition is still a
            # draft, so these files were never anyone's frozen edition.
            shutil.rmtree(target)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(str(target), f"cannot write the edition: {exc.strerror or exc}") from exc
    return target
