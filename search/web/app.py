"""The desk in the browser: one Flask app for the rassegna, the review, the archive and users.

Contract 5 is enforced here, before any page runs: once one account exists, a request without
a session is sent to the login page (GET) or refused (any other method); every form carries a
CSRF token (Flask-WTF); writing needs an editor. With no account at all the app is the old
read-only viewer, which ``rassegna serve`` only allows on a loopback address.

Everything shown was crawled from pages anyone can write: templates autoescape, links are only
http(s), and a Content-Security-Policy without any script source means that even an escaping
bug could not run code in the office's browser.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from enrichment.registry import Registry
from enrichment.vocabulary import CATEGORIES, italian_date
from search.desk.accounts import ROLE_LABELS, Accounts
from search.errors import StoreError
from search.es.config import ESConfig
from search.files.data_dir import DataDir
from search.render.safety import safe_url
from search.web import (
    adding,
    archive,
    auth,
    editions,
    new_outlets,
    outlet_names,
    review,
    users,
)
from search.web.context import (
    AddUrl,
    DeskUser,
    OutletFlags,
    Settings,
    accounts,
    close_all,
    refuse,
    settings,
)

_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
OPEN_ENDPOINTS = frozenset({"auth.login", "static"})
"""What a visitor without a session may reach (contract 5)."""


def create_app(
    data_dir: Path,
    registry: Registry,
    es: ESConfig | None = None,
    *,
    add_url: AddUrl | None = None,
    outlet_flags: OutletFlags | None = None,
    registry_editable: bool = False,
    secret_key: str | None = None,
) -> Flask:
    """The desk over ``data_dir`` (or the cluster ``es``); ``add_url`` is ``rassegna add``'s
    function and ``outlet_flags`` ``rassegna status``'s flags, which live in a layer above this
    one, so they are handed in (None: no adding, no flags)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or os.environ.get("RASSEGNA_SECRET_KEY") or _kept_secret(data_dir),
        SESSION_COOKIE_NAME="rassegna_sessione",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        MAX_CONTENT_LENGTH=256 * 1024,
        PROVIDE_AUTOMATIC_OPTIONS=False,
    )
    app.extensions["rassegna"] = Settings(
        data_dir, registry, es, add_url, outlet_flags, registry_editable
    )
    app.jinja_env.filters["safe_url"] = safe_url
    app.jinja_env.filters["italian_date"] = italian_date
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(_globals)

    logins = LoginManager(app)
    logins.login_view = "auth.login"
    logins.user_loader(_load_user)
    # Order matters: the session check runs before the CSRF check, so a request without a
    # session is told to sign in (401) rather than that its token is missing.
    app.before_request(_gate)
    CSRFProtect(app)
    app.after_request(_headers)
    app.teardown_appcontext(close_all)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(HTTPException, _http_error)
    for module in (auth, review, adding, archive, editions, new_outlets, outlet_names, users):
        app.register_blueprint(module.bp)
    return app


def _kept_secret(data_dir: Path) -> str:
    kept = Accounts(DataDir(data_dir).accounts)
    try:
        return kept.secret_key()
    finally:
        kept.close()


def _load_user(user_id: str) -> DeskUser | None:
    generation, _, name = user_id.partition(":")
    account = accounts().get(name)
    if account is None or str(account.generation) != generation:
        return None
    return DeskUser(account)


def _gate() -> Response | tuple[str, int] | None:
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if accounts().count() == 0:
        return None  # the loopback viewer: reading only, every write refused by its view
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return refuse(401, "Accesso richiesto", "Accedi con il tuo account per continuare.")


def _headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _globals() -> dict[str, Any]:
    s = settings()
    return {
        "topic": s.registry.topic.name,
        "feed": DataDir(s.data_dir).feed.is_file(),
        "can_add": s.add_url is not None,
        "discovery": s.registry.discovery is not None,
        "categories": CATEGORIES,
        "role_labels": ROLE_LABELS,
        # With accounts, a visitor who has not signed in sees no links that lead to the login.
        "locked": _locked(),
    }


def _locked() -> bool:
    try:
        return accounts().count() > 0
    except StoreError:  # the error page of an unreadable data dir: no links to offer either
        return True


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return refuse(
        400,
        "Modulo non valido",
        "Il modulo è scaduto o non viene da questa pagina: ricarica la pagina e riprova.",
    )


def _store_error(error: StoreError) -> tuple[str, int]:
    return refuse(503, "Archivio non disponibile", str(error))


def _http_error(error: HTTPException) -> Response | tuple[str, int]:
    messages = {
        404: ("Pagina non trovata", "Questo indirizzo non esiste."),
        405: ("Metodo non ammesso", "Questa pagina non accetta questo tipo di richiesta."),
        413: ("Richiesta troppo grande", "Il modulo inviato è troppo grande."),
    }
    title, message = messages.get(error.code or 500, (error.name, error.description or ""))
    answer = error.get_response()
    body, status = refuse(error.code or 500, title, message)
    answer.set_data(body)
    answer.status_code = status
    answer.content_type = "text/html; charset=utf-8"
    return answer
