"""``rassegna serve``'s server: the desk on waitress, a threaded WSGI server.

Each request runs in a thread of waitress's pool, so a slow PDF never holds up the review
page. A desk without accounts has no login, so it may only listen on a loopback address
(contract 5): anyone who can reach it can read it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from waitress import create_server

from search.desk.accounts import Accounts
from search.errors import ServeError
from search.files.data_dir import DataDir

if TYPE_CHECKING:  # the app pulls in Flask, Elasticsearch and the renderers: a second of
    # imports that every other ``rassegna`` command would pay, as the CLI imports this module
    from enrichment.registry import Registry
    from search.es.config import ESConfig
    from search.web.context import AddUrl, OutletFlags

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8800
THREADS = 8


class DeskServer:
    """A listening waitress server: its ``url``, ``run()`` until ``shutdown()``."""

    def __init__(self, server: Any) -> None:
        self._server = server

    @property
    def url(self) -> str:
        host = str(self._server.effective_host)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{int(self._server.effective_port)}/"

    def run(self) -> None:
        self._server.run()

    def shutdown(self) -> None:
        self._server.close()
        self._server.task_dispatcher.shutdown(timeout=5)


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def has_accounts(data_dir: Path) -> bool:
    path = DataDir(data_dir).accounts
    if not path.exists():
        return False
    kept = Accounts(path)
    try:
        return kept.count() > 0
    finally:
        kept.close()


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    data_dir: Path,
    registry: Registry,
    es: ESConfig | None = None,
    add_url: AddUrl | None = None,
    outlet_flags: OutletFlags | None = None,
    registry_editable: bool = False,
    ready: Callable[[DeskServer], None] | None = None,
) -> None:
    """Serve the desk over ``data_dir`` (or the cluster ``es``) until interrupted.

    ``port`` 0 picks a free port; ``ready`` gets the listening server once requests can be
    answered (its ``url``; ``shutdown()`` ends ``serve`` from another thread).
    """
    if not is_loopback(host) and not has_accounts(data_dir):
        raise ServeError(
            f"refusing to listen on {host}: no account exists yet, so anyone could read the "
            "desk; create one with `rassegna users add NAME --role admin` first"
        )
    from search.web.app import create_app

    app = create_app(
        data_dir,
        registry,
        es,
        add_url=add_url,
        outlet_flags=outlet_flags,
        registry_editable=registry_editable,
    )
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.create_server(address, family=family)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server = DeskServer(create_server(app, sockets=[listening], threads=THREADS, ident="rassegna"))
    logger.info("serving the desk at %s", server.url)
    if ready is not None:
        ready(server)
    server.run()
