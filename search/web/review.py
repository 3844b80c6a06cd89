"""Da rivedere: the uscite nobody has approved yet, newest first, and what an editor does to
them (exclude with a reason, restore, correct fields, highlight, approve).

Every form carries the item's ``Decision.version`` as the page showed it; the desk refuses a
change made on an out-of-date page (``ConflictError``), and the editor is told, in Italian and
by name, who changed the item meanwhile instead of silently undoing their work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from enrichment.cities import CITIES
from search.desk.decisions import EDITABLE, Decision, Desk, corrected
from search.errors import ConflictError, DecisionError
from search.store import StoredItem
from search.web.context import desk, editor_required, page, settings, signed_in, store
from search.web.outlet_names import datalist_names

bp = Blueprint("review", __name__)
PAGE_SIZE = 30
FIELD_LABELS = {
    "title": "titolo",
    "journalist": "giornalista",
    "date": "data",
    "outlet": "testata",
    "category": "categoria",
    "audience": "audience",
    "city": "città",
}


@dataclass(frozen=True)
class Entry:
    """One uscita as the review list shows it: corrected, with what was decided about it."""

    item: StoredItem
    decision: Decision

    @property
    def anchor(self) -> str:
        return "u-" + hashlib.sha256(self.item.article.url.encode()).hexdigest()[:12]


@bp.get("/rivedi")
def pending() -> tuple[str, int]:
    decisions = desk().decisions()
    waiting = [
        corrected(s, decisions.get(s.article.url))
        for s in store().rassegna_items()
        if not (decisions.get(s.article.url) or Decision(s.article.url)).reviewed
    ]
    waiting.sort(key=lambda s: (s.article.date or "", s.first_seen), reverse=True)
    number = _page_number(len(waiting))
    shown = waiting[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    account = signed_in()
    return page(
        "review.html",
        title="Da rivedere",
        entries=[Entry(s, decisions.get(s.article.url) or Decision(s.article.url)) for s in shown],
        total=len(waiting),
        number=number,
        pages=max(1, -(-len(waiting) // PAGE_SIZE)),
        can_write=account is not None and account.can_write,
        cities=CITIES,
        outlets=datalist_names(settings().registry),
        flagged=_flagged(),
    )


def _flagged() -> dict[str, list[str]]:
    """The outlets whose registry entry needs a look (``rassegna status``'s flags): shown on
    top of the list, since an outlet that stopped answering brings no uscite to review."""
    s = settings()
    return s.outlet_flags(s.registry) if s.outlet_flags is not None else {}


def _page_number(total: int) -> int:
    try:
        number = int(request.args.get("pagina", "1"))
    except ValueError:
        number = 1
    return max(1, min(number, max(1, -(-total // PAGE_SIZE))))


Action = Callable[[Desk, str, str, int | None], object]


def _act(action: Action, done: str) -> Response:
    """Run ``action`` on the item the form names; back to the list with what happened."""
    url = request.form.get("url", "")
    back = url_for("review.pending", pagina=request.form.get("pagina", "1"))
    item = store().get(url) if url else None
    if item is None:
        flash("Uscita sconosciuta: forse è stata cancellata dall'archivio.", "error")
        return redirect(back, 303)
    anchor = Entry(item, Decision(url)).anchor
    title = item.article.title or item.article.url
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = -1
    account = signed_in()
    actor = account.name if account is not None else "?"
    try:
        action(desk(), url, actor, version)
    except ConflictError:
        last = desk().audit(url=url, limit=1)
        who = last[0].actor if last else "un altro utente"
        flash(
            f"«{title}» è stata modificata nel frattempo da {who}: la pagina ora mostra la "
            "versione attuale, ricontrolla e riprova.",
            "error",
        )
    except DecisionError as exc:
        label = FIELD_LABELS.get(exc.field, exc.field)
        flash(f"Valore non accettato per «{label}»: {exc}", "error")
    else:
        store().publish_decisions([url])
        flash(f"«{title}»: {done}.", "ok")
    return redirect(f"{back}#{anchor}", 303)


@bp.post("/rivedi/escludi")
@editor_required
def exclude() -> Response:
    reason = request.form.get("motivo", "")
    return _act(
        lambda d, url, actor, v: d.exclude(url, reason=reason, actor=actor, expected_version=v),
        "esclusa dalla rassegna",
    )


@bp.post("/rivedi/ripristina")
@editor_required
def restore() -> Response:
    return _act(
        lambda d, url, actor, v: d.restore(url, actor=actor, expected_version=v),
        "di nuovo nella rassegna",
    )


@bp.post("/rivedi/evidenza")
@editor_required
def highlight() -> Response:
    on = request.form.get("evidenza") == "1"
    return _act(
        lambda d, url, actor, v: d.highlight(url, on, actor=actor, expected_version=v),
        "in evidenza" if on else "tolta dall'evidenza",
    )


@bp.post("/rivedi/approva")
@editor_required
def approve() -> Response:
    return _act(
        lambda d, url, actor, v: d.approve(url, actor=actor, expected_version=v),
        "approvata",
    )


@bp.post("/rivedi/modifica")
@editor_required
def edit() -> Response:
    url = request.form.get("url", "")
    item = store().get(url) if url else None
    shown = corrected(item, desk().decision(url)) if item is not None else None
    current = {} if shown is None else {f: getattr(shown.article, f) for f in EDITABLE}
    changes: dict[str, str | int | None] = {}
    for name in EDITABLE:
        if name not in request.form:
            continue
        typed = request.form[name].strip()
        before = current.get(name)
        if typed != ("" if before is None else str(before)):
            changes[name] = typed
    return _act(
        lambda d, url, actor, v: d.edit(
            url, changes, actor=actor, expected_version=v, current=current
        ),
        "corretta" if changes else "nessuna modifica",
    )
