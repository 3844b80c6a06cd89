"""Outlet names for the desk's Testata fields, sized for a registry of thousands.

A ``<datalist>`` of every name lets the browser suggest outlets with no script at all, but
at 5,000 outlets it is most of every Da rivedere page. So the pages list the names only up to
``DATALIST_UP_TO`` outlets; beyond that the field is a plain text input (the desk checks what
is typed, as it always did), and ``/testate/suggerimenti?q=…`` answers the few names that
match, as JSON, for whatever asks: a script, or a page once the desk allows one (its
Content-Security-Policy allows no script today).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from enrichment.registry import Registry
from search.web.context import settings

bp = Blueprint("outlet_names", __name__)
DATALIST_UP_TO = 300
"""The largest registry whose names every page lists: about 12 KB of markup."""
SUGGESTIONS = 20
"""Names one answer holds at most: what fits under a text field."""
LONGEST_QUERY = 100


def datalist_names(registry: Registry) -> list[str]:
    """Every outlet name, in alphabetical order, for a page's ``<datalist>``; none for a
    registry too large to list on every page."""
    if len(registry.outlets) > DATALIST_UP_TO:
        return []
    return sorted((o.name for o in registry.outlets), key=str.casefold)


def matching_names(registry: Registry, query: str) -> list[str]:
    """Up to ``SUGGESTIONS`` names containing ``query`` (case ignored): those that start with it
    first, then the others, each group in alphabetical order; none for an empty query."""
    wanted = query.strip().casefold()
    if not wanted:
        return []
    found = [
        (not name.casefold().startswith(wanted), name.casefold(), name)
        for name in (o.name for o in registry.outlets)
        if wanted in name.casefold()
    ]
    return [name for *_, name in sorted(found)[:SUGGESTIONS]]


@bp.get("/testate/suggerimenti")
def suggestions() -> Response:
    """The names matching ``q``, as a JSON array of strings (a JSON body, never markup: the
    names come from the registry, which the desk itself may have extended from crawled
    sites)."""
    query = request.args.get("q", "")[:LONGEST_QUERY]
    return jsonify(matching_names(settings().registry, query))
