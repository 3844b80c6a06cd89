"""What every page of the desk needs: the store, the desk, the accounts, the signed-in user.

Each request opens its own store, desk and accounts file and closes them when it ends: the
server answers requests in several threads, and a SQLite connection belongs to the thread that
opened it. The signed-in user and their role decide what a page offers; the decorators here
are the one place that says who may write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from flask import current_app, g, render_template
from flask_login import UserMixin, current_user
from werkzeug.wrappers import Response

from enrichment.registry import Registry
from search.backends.choose import open_store
from search.desk.accounts import Account, Accounts
from search.desk.decisions import Desk
from search.es.config import ESConfig
from search.files.data_dir import DataDir
from search.store import Store

P = ParamSpec("P")
R = TypeVar("R")
AddUrl = Callable[..., Any]
"""``add_url(url, outlet, category, audience, date, actor) -> result`` (``rassegna add``)."""
OutletFlags = Callable[[Registry], dict[str, list[str]]]
"""``outlet_flags(registry) -> {outlet: [reasons]}``: the outlets ``rassegna status`` flags
(entry points all failing, feeds quiet for days), read from the crawl state."""


@dataclass(frozen=True)
class Settings:
    """The app's fixed inputs, kept in ``app.extensions["rassegna"]``."""

    data_dir: Path
    registry: Registry
    es: ESConfig | None
    add_url: AddUrl | None
    outlet_flags: OutletFlags | None = None
    registry_editable: bool = False
    """Whether the desk may add outlets to ``registry.path``: only a registry the operator
    named (``--sources``), never the one bundled inside the installed package."""


class DeskUser(UserMixin):  # type: ignore[misc]
    """The signed-in account as Flask-Login sees it; the id carries the account's generation,
    so a password reset or role change ends the sessions opened before it."""

    def __init__(self, account: Account) -> None:
        self.account = account

    def get_id(self) -> str:
        return f"{self.account.generation}:{self.account.name}"

    @property
    def name(self) -> str:
        return self.account.name


def settings() -> Settings:
    found: Settings = current_app.extensions["rassegna"]
    return found


def store() -> Store:
    if "rs_store" not in g:
        s = settings()
        g.rs_store = open_store(s.data_dir, s.es)
    opened: Store = g.rs_store
    return opened


def desk() -> Desk:
    if "rs_desk" not in g:
        g.rs_desk = Desk(DataDir(settings().data_dir).desk)
    opened: Desk = g.rs_desk
    return opened


def accounts() -> Accounts:
    if "rs_accounts" not in g:
        g.rs_accounts = Accounts(DataDir(settings().data_dir).accounts)
    opened: Accounts = g.rs_accounts
    return opened


def close_all(_error: BaseException | None = None) -> None:
    for name in ("rs_store", "rs_desk", "rs_accounts"):
        opened = g.pop(name, None)
        if opened is not None:
            opened.close()


def signed_in() -> Account | None:
    if current_user.is_authenticated:
        account: Account = current_user.account
        return account
    return None


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


def refuse(status: int, title: str, message: str) -> tuple[str, int]:
    return page("error.html", status, title=title, message=message)


def editor_required(view: Callable[P, R]) -> Callable[P, R | tuple[str, int] | Response]:
    """Only an editor (or admin) session may run ``view``; anyone else gets a 403 page."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | tuple[str, int] | Response:
        account = signed_in()
        if account is None or not account.can_write:
            return refuse(
                403, "Non permesso", "Per modificare serve un account con ruolo «redazione»."
            )
        return view(*args, **kwargs)

    return guarded


def admin_required(view: Callable[P, R]) -> Callable[P, R | tuple[str, int] | Response]:
    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | tuple[str, int] | Response:
        account = signed_in()
        if account is None or not account.is_admin:
            return refuse(
                403, "Non permesso", "Gli utenti li gestisce un account «amministrazione»."
            )
        return view(*args, **kwargs)

    return guarded
