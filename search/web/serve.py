"""``rassegna serve``: the rassegna and a search page in a browser, without Kibana.

A press office running the embedded store has no dashboard; this small WSGI app on the
standard library's server gives them one. Every page is computed from the store at request
time, so what the browser shows is what ``rassegna snapshot`` would write now. Each request
opens and closes its own store, because SQLite connections belong to the thread that opened
them and the server answers each request in a thread of its own.

It listens on 127.0.0.1 unless told otherwise: the store holds everything crawled, and nothing
here authenticates a reader. Every string in a page comes from crawled pages anyone can write,
so templates escape everything and links are only http(s).
"""

from __future__ import annotations

import logging
import re
import socketserver
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from enrichment.cities import CITIES
from enrichment.registry import Registry
from enrichment.vocabulary import CATEGORIES, italian_date
from search.backends.choose import open_store
from search.errors import QueryError, RenderError, ServeError, StoreError
from search.es.config import ESConfig
from search.files.data_dir import FEED_NAME, DataDir
from search.render import FORMATS, render
from search.render.model import Document, DocumentOptions, build_document, document_options
from search.render.safety import safe_url
from search.render.snapshot import select_items
from search.store import SearchQuery, Store

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8800
SEARCH_LIMIT = 50
SEARCH_FIELDS = ("q", "citta", "categoria", "dal", "al")
"""The Atom feed of new mentions that ``rassegna run`` keeps in the data folder."""

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SHOWN_INLINE = {"html", "json"}
"""Formats a browser displays; the others are offered as a file to save."""

# Our own pages run no script and load nothing from elsewhere; should an escaping bug ever
# let markup through, the browser still refuses to run it. The document served at / gets
# the same policy, so a crawled string can never execute there either.
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    ("Content-Security-Policy", _CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
]
_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_STATUS = {
    200: "200 OK",
    204: "204 No Content",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    503: "503 Service Unavailable",
}


@dataclass(frozen=True)
class SearchForm:
    """The search page's fields, as typed, and the query they make."""

    q: str = ""
    citta: str = ""
    categoria: str = ""
    dal: str = ""
    al: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.q.strip(), self.citta, self.categoria, self.dal, self.al))

    def query(self) -> SearchQuery:
        """The store query; QueryError (shown to the reader) for a field that cannot be used."""
        city = next((c for c in CITIES if c.casefold() == self.citta.casefold()), None)
        if self.citta and city is None:
            raise QueryError(f"città sconosciuta: {self.citta}")
        if self.categoria and self.categoria not in CATEGORIES:
            raise QueryError(f"categoria sconosciuta: {self.categoria}")
        since, until = _date(self.dal, "dal"), _date(self.al, "al")
        if since and until and since > until:
            raise QueryError("la data 'dal' viene dopo la data 'al'")
        return SearchQuery(
            text=self.q,
            city=city,
            category=self.categoria or None,
            since=since,
            until=until,
            limit=SEARCH_LIMIT,
        )


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def make_app(
    data_dir: Path,
    store_factory: Callable[[], Store],
    topic: str,
    options_factory: Callable[[], DocumentOptions],
) -> WSGIApp:
    """The WSGI app; ``store_factory`` opens a store per request, ``options_factory`` gives
    the document's title and header lines."""
    env = Environment(
        loader=PackageLoader("search.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["italian_date"] = italian_date
    feed = DataDir(data_dir).feed

    def page(template: str, status: int = 200, **context: Any) -> _Response:
        html = env.get_template(template).render(
            topic=topic,
            feed=feed.is_file(),
            **context,
        )
        return _Response(status, html.encode("utf-8"))

    def error(status: int, title: str, message: str) -> _Response:
        return page("error.html", status, title=title, message=message)

    @contextmanager
    def opened() -> Iterator[Store]:
        store = store_factory()
        try:
            yield store
        finally:
            store.close()

    def document() -> Document:
        with opened() as store:
            stored = select_items(store)
        return build_document(stored, topic, options_factory())

    def home() -> _Response:
        html = render(document(), "html")
        nav = env.get_template("nav.html").render(topic=topic, feed=feed.is_file())
        return _Response(200, _after_body_tag(html, nav.encode("utf-8")))

    def download(fmt: str) -> _Response:
        doc = document()
        try:
            payload = render(doc, fmt)
        except RenderError as exc:
            logger.warning("rassegna.%s not available: %s", fmt, exc)
            return error(503, f"Formato {fmt.upper()} non disponibile", str(exc))
        name = f"rassegna-{doc.updated or 'vuota'}.{fmt}"
        disposition = "inline" if fmt in SHOWN_INLINE else "attachment"
        return _Response(
            200,
            payload,
            CONTENT_TYPES[fmt],
            (("Content-Disposition", f'{disposition}; filename="{name}"'),),
        )

    def search(params: dict[str, str]) -> _Response:
        form = SearchForm(**{k: params.get(k, "") for k in SEARCH_FIELDS})
        context: dict[str, Any] = {
            "title": "Cerca",
            "form": form,
            "cities": CITIES,
            "categories": CATEGORIES,
            "results": None,
            "problem": None,
            "limit": SEARCH_LIMIT,
        }
        if form.empty:
            return page("cerca.html", **context)
        try:
            query = form.query()
            with opened() as store:
                context["results"] = store.search(query)
        except QueryError as exc:
            context["problem"] = str(exc)
            return page("cerca.html", 400, **context)
        return page("cerca.html", **context)

    def atom_feed() -> _Response:
        try:
            body = feed.read_bytes()
        except FileNotFoundError:
            return error(
                404,
                "Nessun feed",
                "Il feed delle nuove menzioni è scritto da «rassegna run»: non c'è ancora.",
            )
        return _Response(200, body, "application/atom+xml; charset=utf-8")

    def route(path: str, params: dict[str, str]) -> _Response:
        if path in ("/", "/index.html"):
            return home()
        if path == "/cerca":
            return search(params)
        if path == "/" + FEED_NAME:
            return atom_feed()
        if path == "/favicon.ico":
            return _Response(204, b"")
        stem, _, fmt = path.rpartition(".")
        if stem == "/rassegna" and fmt in FORMATS:
            return download(fmt)
        return error(404, "Pagina non trovata", "Questo indirizzo non esiste.")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            response = error(405, "Metodo non ammesso", "Qui si può solo leggere.")
            response = replace(response, headers=(("Allow", "GET, HEAD"),))
        else:
            try:
                response = route(_text(environ.get("PATH_INFO", "/")), _params(environ))
            except StoreError as exc:
                logger.warning("store unavailable: %s", exc)
                response = error(503, "Archivio non disponibile", str(exc))
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            *_SECURITY_HEADERS,
            *response.headers,
        ]
        start_response(_STATUS[response.status], headers)
        return [b"" if method == "HEAD" else response.body]

    return app


class RassegnaServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow PDF never holds up the search page."""

    daemon_threads = True

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), int(self.server_address[1])
        return f"http://{host}:{port}/"


class _QuietHandler(WSGIRequestHandler):
    """Requests go to our logger (shown with -v), not to stderr line by line."""

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    data_dir: Path,
    registry: Registry,
    es: ESConfig | None = None,
    ready: Callable[[RassegnaServer], None] | None = None,
) -> None:
    """Serve the store of ``data_dir`` (or the cluster ``es``) until interrupted.

    ``port`` 0 picks a free port; ``ready`` gets the listening server once requests can be
    answered (its ``url``; ``shutdown()`` ends ``serve`` from another thread).
    """
    app = make_app(
        data_dir,
        lambda: open_store(data_dir, es),
        registry.topic.name,
        lambda: document_options(registry),
    )
    try:
        server = make_server(
            host, port, app, server_class=RassegnaServer, handler_class=_QuietHandler
        )
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    with server:
        logger.info("serving the rassegna at %s", server.url)
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.2)


def _after_body_tag(html: bytes, insert: bytes) -> bytes:
    """The document with our navigation bar first in its body (the document file itself,
    meant to be sent around, has no link to a server)."""
    match = _BODY_TAG.search(html)
    if match is None:
        return insert + html
    return html[: match.end()] + insert + html[match.end() :]


def _text(value: str) -> str:
    """A WSGI string (bytes as latin-1, PEP 3333) as the UTF-8 text the browser sent."""
    return value.encode("latin-1", "replace").decode("utf-8", "replace")


def _params(environ: dict[str, Any]) -> dict[str, str]:
    parsed = parse_qs(_text(environ.get("QUERY_STRING", "")), keep_blank_values=True)
    return {key: values[0].strip() for key, values in parsed.items()}


def _date(value: str, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"'{name}' non è una data come 2023-10-19: {value}") from None
