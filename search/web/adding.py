"""Aggiungi articolo: an editor adds one page by its address, as ``rassegna add`` does.

Fetching and enriching a page is the crawler's work, a layer above this one, so the function
is handed to the app (``create_app(add_url=…)``); without it the page says adding is not
available here. The function stores the item and writes the audit line under the editor's
name (``Desk.log_add``), as ``rassegna add`` does.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from enrichment.errors import RassegnaError
from search.render.safety import safe_url
from search.web.context import editor_required, page, refuse, settings, signed_in
from search.web.outlet_names import datalist_names

bp = Blueprint("adding", __name__)
FIELDS = ("url", "testata", "categoria", "audience", "data")


@bp.get("/aggiungi")
def form() -> tuple[str, int]:
    return _form(200)


def _form(status: int, problem: str | None = None) -> tuple[str, int]:
    typed = {k: request.form.get(k, "").strip() for k in FIELDS}
    return page(
        "aggiungi.html",
        status,
        title="Aggiungi articolo",
        typed=typed,
        problem=problem,
        outlets=datalist_names(settings().registry),
        available=settings().add_url is not None,
    )


@bp.post("/aggiungi")
@editor_required
def add() -> Response | tuple[str, int]:
    add_url = settings().add_url
    if add_url is None:
        return refuse(503, "Non disponibile", "Questo server non può scaricare articoli.")
    url = request.form.get("url", "").strip()
    if safe_url(url) is None:
        return _form(400, "Serve un indirizzo completo che inizi con http:// o https://.")
    audience_text = request.form.get("audience", "").strip()
    if audience_text and not audience_text.isdigit():
        return _form(400, "L'audience è un numero intero, 0 o più.")
    account = signed_in()
    actor = account.name if account is not None else "?"
    try:
        add_url(
            url,
            request.form.get("testata", "").strip() or None,
            request.form.get("categoria", "").strip() or None,
            int(audience_text) if audience_text else None,
            request.form.get("data", "").strip() or None,
            actor,
        )
    except RassegnaError as exc:
        return _form(400, f"Articolo non aggiunto: {exc}")
    flash(f"Articolo aggiunto: {url}", "ok")
    return redirect(url_for("review.pending"), 303)
