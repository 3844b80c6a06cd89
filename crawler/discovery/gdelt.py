"""The GDELT DOC 2.0 API, article list mode, Italian sources only.

``https://api.gdeltproject.org/api/v2/doc/doc?query=...%20sourcelang:ita&mode=artlist&
format=json&maxrecords=250&sort=datedesc`` answers ``{"articles": [{"url", "url_mobile",
"title", "seendate": "20231017T093000Z", "socialimage", "domain", "language",
"sourcecountry"}]}``, or ``{}`` when nothing matches. 250 records is the API's maximum per
request. GDELT asks for at most one request every 5 seconds: its requests go through the
``gdelt`` download slot (``DOWNLOAD_SLOTS`` in ``crawler.settings``). An over-eager client
gets a 429 or a plain-text notice with status 200; both are "not results".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from crawler.discovery.results import Found, NotResults, or_query
from crawler.spiders.links import Link

NAME = "gdelt"
SLOT = "gdelt"
"""The download slot of every GDELT request (see ``crawler.settings.DOWNLOAD_SLOTS``)."""
MAX_RECORDS = 250
ENDPOINT = (
    "https://api.gdeltproject.org/api/v2/doc/doc?query={query}%20sourcelang:ita"
    f"&mode=artlist&format=json&maxrecords={MAX_RECORDS}&sort=datedesc"
)


def search_url(terms: Sequence[str]) -> str:
    """GDELT wants ``OR``-ed terms in parentheses, and refuses parentheses around one term."""
    query = or_query(terms)
    if len(terms) > 1:
        query = f"({query})"
    return ENDPOINT.format(query=quote(query, safe=""))


def parse(body: bytes) -> Found:
    if not body.strip():
        raise NotResults("empty answer")
    try:
        data: Any = json.loads(body)
    except ValueError:
        first = body.strip().splitlines()[0][:80].decode("utf-8", "replace")
        raise NotResults(f"not JSON ({first!r})") from None
    if not isinstance(data, dict):
        raise NotResults("JSON is not an object")
    articles = data.get("articles", [])
    if not isinstance(articles, list):
        raise NotResults("'articles' is not a list")
    found = Found()
    for article in articles[:MAX_RECORDS]:
        url = article.get("url") if isinstance(article, dict) else None
        if not isinstance(url, str) or not url.strip():
            found.dropped["no_url"] += 1
            continue
        title = article.get("title")
        found.keep(
            Link(
                url=url.strip(),
                title=" ".join(title.split()) or None if isinstance(title, str) else None,
                date=seen_date(article.get("seendate")),
            )
        )
    return found


def seen_date(value: Any) -> str | None:
    """``20231017T093000Z`` -> ``2023-10-17``; None for anything else."""
    if not isinstance(value, str) or len(value) < 8 or not value[:8].isdigit():
        return None
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
