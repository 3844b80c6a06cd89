"""Accedi / Esci: signing in with a name and password, and slowing down whoever guesses.

Each failure counts against the account name and against the client address (stored in the
accounts file, so a restart forgives nothing); past a few failures either key is locked for a
window that doubles each time, and a locked attempt is refused before its password is even
checked. The session is cleared at login, so a cookie planted before it is worth nothing.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from search.web.context import DeskUser, accounts, page, signed_in

bp = Blueprint("auth", __name__)


def _keys(name: str) -> list[str]:
    return [f"nome:{name.strip().casefold()}", f"ip:{request.remote_addr or '?'}"]


def _next_page(target: str | None) -> str:
    """Only a path of this site (``/…``, never ``//host``), else the review list."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("review.pending")


@bp.route("/accedi", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    target = request.values.get("next", "")
    if request.method == "GET":
        if signed_in() is not None:
            return redirect(_next_page(target))
        return page("login.html", nobody=accounts().count() == 0, next=target, name="")
    name = request.form.get("nome", "").strip()
    password = request.form.get("password", "")
    keys = _keys(name)
    wait = accounts().locked_for(keys)
    if wait:
        return page(
            "login.html",
            429,
            problem=f"Troppi tentativi falliti: riprova tra {wait} secondi.",
            next=target,
            name=name,
        )
    account = accounts().verify(name, password) if name and password else None
    if account is None:
        accounts().failed(keys)
        return page(
            "login.html",
            401,
            problem="Nome utente o password errati.",
            next=target,
            name=name,
        )
    accounts().succeeded(keys)
    session.clear()
    session.permanent = True
    login_user(DeskUser(account))
    return redirect(_next_page(target), 303)


@bp.post("/esci")
@login_required  # type: ignore[misc]
def logout() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), 303)
