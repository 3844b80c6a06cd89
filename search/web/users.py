"""Utenti: an admin lists the accounts, adds one, changes a role or resets a password.

A role change or a new password ends that account's open sessions (its generation moves on),
and the last admin cannot give up the role, so the desk never ends up with nobody able to
manage it from the browser.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from search.desk.accounts import ROLES, AccountError
from search.web.context import accounts, admin_required, page

bp = Blueprint("users", __name__)


@bp.get("/utenti")
@admin_required
def listing() -> tuple[str, int]:
    return page("utenti.html", title="Utenti", people=accounts().all(), roles=ROLES)


@bp.post("/utenti/nuovo")
@admin_required
def create() -> Response:
    name = request.form.get("nome", "")
    try:
        created = accounts().save(
            name, request.form.get("ruolo", ""), request.form.get("password", "")
        )
    except AccountError as exc:
        flash(f"Utente non salvato: {exc}", "error")
    else:
        flash(f"Utente «{name.strip()}» {'creato' if created else 'aggiornato'}.", "ok")
    return redirect(url_for("users.listing"), 303)


@bp.post("/utenti/ruolo")
@admin_required
def role() -> Response:
    name, role = request.form.get("nome", ""), request.form.get("ruolo", "")
    admins = [a.name for a in accounts().all() if a.is_admin]
    if admins == [name] and role != "admin":
        flash("È l'unico amministratore: nomina prima un altro amministratore.", "error")
        return redirect(url_for("users.listing"), 303)
    try:
        accounts().set_role(name, role)
    except AccountError as exc:
        flash(f"Ruolo non cambiato: {exc}", "error")
    else:
        flash(f"«{name}» ora ha il ruolo «{role}».", "ok")
    return redirect(url_for("users.listing"), 303)


@bp.post("/utenti/password")
@admin_required
def password() -> Response:
    name = request.form.get("nome", "")
    try:
        accounts().set_password(name, request.form.get("password", ""))
    except AccountError as exc:
        flash(f"Password non cambiata: {exc}", "error")
    else:
        flash(f"Nuova password per «{name}»: le sue sessioni aperte sono chiuse.", "ok")
    return redirect(url_for("users.listing"), 303)
