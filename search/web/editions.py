"""Edizioni: the numbered editions on the desk (contract 6), as ``rassegna edition`` has them.

Anyone who may read the desk sees the archive of editions, one edition's page (figures, who
did what, how its deliveries stand) and its frozen documents, served exactly as approval wrote
them. An editor makes a draft for a period, approves it and sends it; each form posts, then
lands back on a page with one Italian line saying what happened (post/redirect/get).

The work is the editions core's (``search.editions``): this module only turns forms into its
calls and its outcomes into Italian. Its error messages are written for the command line, in
English, so the pages say what went wrong from what they know (the form, the edition's state,
the ledger), never by showing the core's text. A send runs in the request, retries included:
waitress answers other requests meanwhile, and the page tells the editor to wait.

The e-mails a send writes link to ``RASSEGNA_PUBLIC_URL/edizioni/<N>``: that is the edition's
page here, which is why its address must not change. Recipients are shown by their masked
names only; their URLs carry secrets and never reach a page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import Blueprint, flash, redirect, request, send_file, url_for
from werkzeug.wrappers import Response

from enrichment.vocabulary import ROME, italian_date, italian_number
from search.editions.freeze import (
    FROZEN_FORMATS,
    approve_edition,
    edition_document,
    frozen_file,
    new_edition,
)
from search.editions.schedule import draft_period
from search.editions.send import PUBLIC_URL_ENV, edition_recipients, retry_delays, send_edition
from search.editions.store import (
    APPROVED,
    DELIVERED,
    DRAFT,
    FAILED,
    PENDING,
    SENT,
    UNCERTAIN,
    Delivery,
    Edition,
    EditionStore,
    open_editions,
)
from search.errors import ChannelError, DeliveryError, EditionError, RenderError
from search.files.data_dir import DataDir
from search.render import render
from search.web.archive import CONTENT_TYPES, SHOWN_INLINE
from search.web.context import desk, editor_required, page, refuse, settings, signed_in, store

bp = Blueprint("editions", __name__)

STATE_LABELS = {DRAFT: "bozza", APPROVED: "approvata", SENT: "inviata"}
DELIVERY_LABELS = {
    PENDING: "in attesa",
    "attempting": "invio in corso",
    DELIVERED: "inviata",
    FAILED: "non riuscita",
    UNCERTAIN: "incerta",
}
FORMAT_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "Word", "md": "Markdown", "json": "JSON"}
TITLE_MAX = 200
"""The longest title the form takes: it is printed on the cover and in every e-mail subject."""
_BODY_TAG = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Shown:
    """One edition as the pages show it, with how the latest round of its deliveries stands."""

    edition: Edition
    counts: Mapping[str, int]

    @property
    def state(self) -> str:
        return STATE_LABELS.get(self.edition.state, self.edition.state)

    @property
    def period(self) -> str:
        return f"dal {italian_date(self.edition.since)} al {italian_date(self.edition.until)}"

    @property
    def audience(self) -> str:
        return italian_number(self.edition.audience) or "n.d."

    @property
    def recipients(self) -> int:
        return sum(self.counts.values())

    @property
    def reached(self) -> str:
        """ "inviata a 2 di 3", or empty when it was never sent to anyone."""
        if not self.recipients:
            return ""
        return f"inviata a {self.counts[DELIVERED]} di {self.recipients}"

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """(format, label) of every frozen document, in the order approval wrote them."""
        if self.edition.state == DRAFT:
            return []
        return [(f, FORMAT_LABELS[f]) for f in FROZEN_FORMATS if f in self.edition.formats]


def rome_time(iso: str | None) -> str:
    """A stored UTC timestamp on the office's clock: ``2 ottobre 2023, 10:15``."""
    if not iso:
        return ""
    local = datetime.fromisoformat(iso).astimezone(ROME)
    return f"{italian_date(local.date().isoformat())}, {local:%H:%M}"


bp.add_app_template_filter(rome_time, "rome_time")


@contextmanager
def _book() -> Iterator[EditionStore | None]:
    """The book of editions, or None before the first edition: reading creates no file."""
    if not DataDir(settings().data_dir).editions.exists():
        yield None
        return
    with open_editions(settings().data_dir) as book:
        yield book


def _find(number: int) -> Edition | None:
    """Edition ``number``, or None when there is no such edition (or no edition at all)."""
    with _book() as book:
        try:
            return None if book is None else book.get(number)
        except EditionError:
            return None


def _missing(number: int) -> tuple[str, int]:
    return refuse(
        404, "Edizione non trovata", f"Non esiste un'edizione n. {number}: vedi l'elenco Edizioni."
    )


def _uscite(count: int) -> str:
    return f"{count} uscit{'a' if count == 1 else 'e'}"


def _actor() -> str:
    account = signed_in()
    return account.name if account is not None else "?"


def _can_write() -> bool:
    account = signed_in()
    return account is not None and account.can_write


@bp.get("/edizioni")
def archive() -> tuple[str, int]:
    return _archive(200)


def _archive(status: int, problem: str | None = None) -> tuple[str, int]:
    """The list, newest first, and (for an editor) the new-draft form, typed values kept."""
    with _book() as book:
        shown = [] if book is None else [Shown(e, book.counts(e.number)) for e in book.editions()]
        last = None if book is None else book.last_until()
    suggested = draft_period("weekly", datetime.now(ROME).date(), last) or ("", "")
    typed = {
        "dal": request.form.get("dal", suggested[0]).strip(),
        "al": request.form.get("al", suggested[1]).strip(),
        "titolo": request.form.get("titolo", "").strip(),
    }
    return page(
        "edizioni.html",
        status,
        title="Edizioni",
        editions=shown,
        can_write=_can_write(),
        typed=typed,
        problem=problem,
        title_max=TITLE_MAX,
    )


@bp.post("/edizioni/nuova")
@editor_required
def create() -> Response | tuple[str, int]:
    since, until = request.form.get("dal", "").strip(), request.form.get("al", "").strip()
    title = " ".join(request.form.get("titolo", "").split())
    problem = _period_problem(since, until)
    if problem is None and len(title) > TITLE_MAX:
        problem = f"Il titolo è troppo lungo: al massimo {TITLE_MAX} caratteri."
    if problem is not None:
        return _archive(400, problem)
    try:
        edition = new_edition(
            settings().data_dir, store(), since=since, until=until, title=title, actor=_actor()
        )
    except EditionError:  # the period is valid (checked above): it has no uscite
        return _archive(
            400,
            f"Nessuna uscita dal {italian_date(since)} al {italian_date(until)}: "
            "nessuna bozza creata. Scegli un altro periodo.",
        )
    flash(
        f"{edition.label}: bozza creata con {_uscite(edition.uscite)}. "
        "Controlla l'anteprima, poi approvala.",
        "ok",
    )
    return redirect(url_for("editions.edition", number=edition.number), 303)


def _period_problem(since: str, until: str) -> str | None:
    """What is wrong with the period as typed, in Italian, or None."""
    if not since or not until:
        return "Indica il primo e l'ultimo giorno del periodo."
    days = []
    for typed in (since, until):
        try:
            days.append(date.fromisoformat(typed))
        except ValueError:
            return f"«{typed}» non è una data: scrivila come 2023-10-19."
    if days[1] < days[0]:
        return (
            f"Il periodo finisce ({italian_date(until)}) prima di cominciare "
            f"({italian_date(since)}): inverti le date."
        )
    return None


@bp.get("/edizioni/<int:number>")
def edition(number: int) -> tuple[str, int]:
    with _book() as book:
        if book is None:
            return _missing(number)
        try:
            found = book.get(number)
        except EditionError:
            return _missing(number)
        shown = Shown(found, book.counts(number))
        deliveries = book.deliveries(number)
    live = None
    if found.state == DRAFT:
        # What approving now would freeze: the period as it is, decisions included.
        live = edition_document(store(), settings().registry, found, desk().decisions())
    return page(
        "edizione.html",
        title=found.label,
        shown=shown,
        deliveries=deliveries,
        delivery_labels=DELIVERY_LABELS,
        live=live,
        can_write=_can_write(),
        public_url=bool(os.environ.get(PUBLIC_URL_ENV)),
    )


@bp.get("/edizioni/<int:number>/anteprima")
def preview(number: int) -> Response | tuple[str, int]:
    """A draft's document as approval would render it now; an approved edition's preview is
    its frozen HTML, so it is sent there."""
    found = _find(number)
    if found is None:
        return _missing(number)
    if found.state != DRAFT:
        return redirect(url_for("editions.document", number=number, fmt="html"))
    document = edition_document(store(), settings().registry, found, desk().decisions())
    html = render(document, "html").decode("utf-8")
    banner = page("edizione_anteprima.html", edition=found)[0]
    match = _BODY_TAG.search(html)
    at = match.end() if match else 0
    return Response(html[:at] + banner + html[at:], content_type=CONTENT_TYPES["html"])


@bp.get("/edizioni/<int:number>/rassegna.<fmt>")
def document(number: int, fmt: str) -> Response | tuple[str, int]:
    """A frozen document, byte for byte as approval wrote it."""
    if fmt not in FROZEN_FORMATS:
        return refuse(404, "Formato sconosciuto", f"Le edizioni non hanno un formato «{fmt}».")
    found = _find(number)
    if found is None:
        return _missing(number)
    if found.state == DRAFT:
        return refuse(
            404,
            "Documento non ancora pronto",
            f"{found.label} è una bozza: i documenti si congelano quando viene approvata.",
        )
    if fmt not in found.formats:
        return refuse(
            404,
            f"{FORMAT_LABELS[fmt]} non disponibile",
            f"{found.label} non ha il {FORMAT_LABELS[fmt]}. {found.note or ''}".strip(),
        )
    try:
        path = frozen_file(settings().data_dir, found, fmt)
    except EditionError:  # approved with this format, yet the file is gone
        return refuse(
            404,
            "Documento mancante",
            f"Il file {FORMAT_LABELS[fmt]} di {found.label} non è più nella cartella dei dati: "
            "va ripristinato da un backup.",
        )
    return send_file(
        path,
        mimetype=CONTENT_TYPES[fmt],
        as_attachment=fmt not in SHOWN_INLINE,
        download_name=f"rassegna-edizione-{number}.{fmt}",
        conditional=False,
        etag=False,
    )


@bp.post("/edizioni/<int:number>/approva")
@editor_required
def approve(number: int) -> Response:
    here = url_for("editions.edition", number=number)
    try:
        approval = approve_edition(
            settings().data_dir, store(), settings().registry, number, actor=_actor()
        )
    except RenderError as exc:  # written for the office: says what to install or retry
        flash(f"Approvazione non riuscita, l'edizione resta una bozza: {exc}", "error")
        return redirect(here, 303)
    except EditionError:
        flash(_approve_problem(number), "error")
        return redirect(here, 303)
    approved = approval.edition
    flash(f"{approved.label} approvata: {_uscite(approved.uscite)}, documenti congelati.", "ok")
    if approved.note:
        flash(approved.note + ".", "note")
    return redirect(here, 303)


def _approve_problem(number: int) -> str:
    """Why the core refused: the edition is gone, no longer a draft, or its period emptied."""
    found = _find(number)
    if found is None:
        return f"Non esiste un'edizione n. {number}."
    if found.state != DRAFT:
        return (
            f"{found.label} è già {STATE_LABELS[found.state]} ({rome_time(found.approved_at)}, "
            f"{found.approved_by}): i suoi documenti non cambiano più; per un'altra versione "
            "crea una nuova bozza."
        )
    return (
        f"{found.label}: nel periodo non resta nessuna uscita (escluse nel frattempo?): "
        "non c'è nulla da approvare."
    )


@bp.post("/edizioni/<int:number>/invia")
@editor_required
def send(number: int) -> Response:
    """Send once to each recipient; "di nuovo" (with its box ticked) sends to all again."""
    here = url_for("editions.edition", number=number)
    again = request.form.get("di_nuovo") == "1"
    if again and request.form.get("conferma") != "1":
        flash("Per inviarla di nuovo a tutti spunta la conferma.", "error")
        return redirect(here, 303)
    kind, message = _send(number, again)
    flash(message, kind)
    return redirect(here, 303)


def _send(number: int, again: bool) -> tuple[str, str]:
    """(flash kind, Italian line) of one send."""
    data_dir = settings().data_dir
    try:
        channels = edition_recipients((), settings().registry)
        delays = retry_delays()
    except ChannelError as exc:  # names the recipient with its secrets masked
        return "error", f"Nulla inviato: un destinatario configurato non è utilizzabile ({exc})."
    except EditionError:
        return "error", (
            "Nulla inviato: nessun destinatario configurato (RASSEGNA_EDITION_URLS o "
            "«editions:» nel registro)."
        )
    try:
        report = send_edition(
            data_dir,
            number,
            channels,
            actor=_actor(),
            again=again,
            delays=delays,
            public_url=os.environ.get(PUBLIC_URL_ENV) or None,
        )
    except DeliveryError:
        return "error", _delivery_problem(data_dir, number)
    except EditionError:  # unknown, or still a draft
        return "error", f"L'edizione n. {number} non si può inviare: va prima approvata."
    edition = report.edition
    if report.already_sent:
        return "note", (
            f"{edition.label} era già stata inviata ({rome_time(edition.sent_at)}): nulla "
            "inviato. Per mandarla di nuovo a tutti usa «Invia di nuovo»."
        )
    count = len(report.delivered)
    line = f"{edition.label} inviata a {count} destinatari{'o' if count == 1 else ''}."
    if report.uncertain:
        line += (
            f" {len(report.uncertain)} invii interrotti in precedenza sono segnati come "
            "incerti: potrebbero essere arrivati, e non vengono ripetuti."
        )
    return "ok", line


def _delivery_problem(data_dir: Path, number: int) -> str:
    """The failed send in one line, from the ledger: who could not be reached and why, and
    how many wait for the next send (each recipient still gets the edition only once)."""
    with open_editions(data_dir) as book:
        current = book.deliveries(number)
    failed: Delivery | None = next((d for d in current if d.state == FAILED), None)
    waiting = sum(d.state in (PENDING, FAILED) for d in current)
    who = f"{failed.name} non raggiungibile ({failed.error})" if failed else "invio non riuscito"
    return (
        f"Invio interrotto: {who}. {waiting} destinatari in attesa: riprova più tardi con "
        "«Invia»; chi l'ha già ricevuta non la riceve due volte."
    )
