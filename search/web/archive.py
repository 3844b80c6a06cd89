"""Reading pages: the rassegna with the office's decisions, its downloads, the archive search
(Cerca), the Atom feed of new mentions (with the decisions too) and the audit log (Registro
modifiche).

The document is computed at request time from the store and the desk, so what the browser
shows is what ``rassegna snapshot`` would write now. The search asks the store for at most the
items up to the page being read (``SearchQuery.limit``), never the whole archive.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request

from enrichment.cities import CITIES
from enrichment.vocabulary import CATEGORIES
from search.alerts.feed import current_feed
from search.errors import QueryError, RenderError
from search.files.data_dir import FEED_NAME, DataDir
from search.render import FORMATS, render
from search.render.model import Document, make_document
from search.store import SearchQuery
from search.web.context import desk, page, refuse, settings, store

logger = logging.getLogger(__name__)
bp = Blueprint("archive", __name__)

PAGE_SIZE = 25
MAX_RESULTS = 2000
"""The deepest a search pages: past it, the reader narrows the filters."""
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
_BODY_TAG = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class SearchForm:
    """The search page's fields, as typed, and the query they make."""

    q: str = ""
    citta: str = ""
    categoria: str = ""
    testata: str = ""
    dal: str = ""
    al: str = ""
    menzioni: bool = False

    @classmethod
    def of_request(cls) -> SearchForm:
        args = request.args
        return cls(
            **{k: args.get(k, "").strip() for k in ("q", "citta", "categoria", "testata")},
            dal=args.get("dal", "").strip(),
            al=args.get("al", "").strip(),
            menzioni=args.get("menzioni") == "1",
        )

    @property
    def empty(self) -> bool:
        return not any(
            (self.q, self.citta, self.categoria, self.testata, self.dal, self.al, self.menzioni)
        )

    def query(self, limit: int) -> SearchQuery:
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
            outlet=self.testata or None,
            since=since,
            until=until,
            mentions_only=self.menzioni,
            limit=limit,
        )

    def link(self, number: int) -> str:
        """The query string of page ``number`` of these results."""
        fields = {
            "q": self.q,
            "citta": self.citta,
            "categoria": self.categoria,
            "testata": self.testata,
            "dal": self.dal,
            "al": self.al,
        }
        params = {k: v for k, v in fields.items() if v}
        if self.menzioni:
            params["menzioni"] = "1"
        params["pagina"] = str(number)
        return "?" + urlencode(params)


def _date(value: str, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise QueryError(f"'{name}' non è una data come 2023-10-19: {value}") from None


def document() -> Document:
    return make_document(store(), settings().registry, decisions=desk().decisions())


@bp.get("/")
@bp.get("/index.html")
def home() -> Response:
    html = render(document(), "html").decode("utf-8")
    nav = page("nav.html", standalone=True)[0]
    match = _BODY_TAG.search(html)
    at = match.end() if match else 0
    return Response(html[:at] + nav + html[at:], content_type=CONTENT_TYPES["html"])


@bp.get("/rassegna.<fmt>")
def download(fmt: str) -> Response | tuple[str, int]:
    if fmt not in FORMATS:
        abort(404)
    doc = document()
    try:
        payload = render(doc, fmt)
    except RenderError as exc:
        logger.warning("rassegna.%s not available: %s", fmt, exc)
        return refuse(503, f"Formato {fmt.upper()} non disponibile", str(exc))
    name = f"rassegna-{doc.updated or 'vuota'}.{fmt}"
    disposition = "inline" if fmt in SHOWN_INLINE else "attachment"
    return Response(
        payload,
        content_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@bp.get("/" + FEED_NAME)
def atom_feed() -> Response | tuple[str, int]:
    """The feed of new mentions, offered once ``rassegna run`` has written its file, and
    computed now from the store and the desk (``current_feed``), as the service's next alerts
    step will write it: a decision taken a moment ago is already in it."""
    try:
        written = DataDir(settings().data_dir).feed.stat().st_mtime
    except FileNotFoundError:
        return refuse(
            404,
            "Nessun feed",
            "Il feed delle nuove menzioni è scritto da «rassegna run»: non c'è ancora.",
        )
    body = current_feed(
        store().rassegna_items(),
        desk().decisions(),
        topic=settings().registry.topic.name,
        default_updated=datetime.fromtimestamp(written, UTC).isoformat(timespec="seconds"),
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@bp.get("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)


@bp.get("/cerca")
def search() -> tuple[str, int]:
    form = SearchForm.of_request()
    context: dict[str, Any] = {
        "title": "Cerca",
        "form": form,
        "cities": CITIES,
        "results": None,
        "problem": None,
        "number": 1,
        "more": False,
        "max_results": MAX_RESULTS,
    }
    if form.empty:
        return page("cerca.html", **context)
    try:
        number = max(1, int(request.args.get("pagina", "1")))
    except ValueError:
        number = 1
    number = min(number, MAX_RESULTS // PAGE_SIZE)
    try:
        found = store().search(form.query(min(number * PAGE_SIZE + 1, MAX_RESULTS)))
    except QueryError as exc:
        context["problem"] = str(exc)
        return page("cerca.html", 400, **context)
    decisions = desk().decisions()
    shown = found[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    context.update(
        results=shown,
        excluded={url for url, d in decisions.items() if d.excluded},
        first=(number - 1) * PAGE_SIZE + 1,
        number=number,
        more=len(found) > number * PAGE_SIZE,
    )
    return page("cerca.html", **context)


@bp.get("/registro")
def audit() -> tuple[str, int]:
    url = request.args.get("url", "").strip()
    entries = desk().audit(url=url or None, limit=500)
    return page("registro.html", title="Registro modifiche", entries=entries, url=url)
