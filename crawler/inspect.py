"""``rassegna extract``: one page through extraction and enrichment, shown field by field.

For a press officer asking "why is this article (not) in the rassegna?": the record shows
the title, date and byline as read, where the date came from, the mentions with their
context, and whether the page counted as an article at all.
"""

from __future__ import annotations

import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.error import URLError

from enrichment.extract import extract_page

from crawler.errors import RassegnaError
from crawler.registry import Outlet, Registry
from crawler.settings import USER_AGENT
from enrichment.enrich import enrich, is_article

MAX_BYTES = 8 * 1024 * 1024


def _fetch(url: str) -> tuple[bytes, str, str | None]:
    """Fetch an http(s) URL (the caller checked the scheme) up to ``MAX_BYTES``."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read(MAX_BYTES)
            return body, response.geturl(), response.headers.get_content_charset()
    except (URLError, OSError, ValueError) as exc:
        raise RassegnaError(f"{url}: cannot fetch: {getattr(exc, 'reason', exc)}") from exc


def extract_record(page: str, url: str | None, registry: Registry) -> dict[str, Any]:
    if page.startswith(("http://", "https://")):
        body, final_url, charset = _fetch(page)
    else:
        path = Path(page)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise RassegnaError(f"{page}: cannot read: {exc.strerror or exc}") from exc
        final_url, charset = url or path.resolve().as_uri(), None
    extracted = extract_page(body, final_url, encoding=charset)
    outlet = registry.outlet_for_url(final_url)
    known = outlet is not None
    if outlet is None:
        outlet = Outlet(
            name=final_url.split("/")[2] if "://" in final_url else page, category="portali"
        )
    article = enrich(extracted, outlet, registry.topic)
    record = asdict(article)
    record.update(
        {
            "category": article.category if known else None,
            "outlet_in_registry": known,
            "is_article": is_article(extracted),
            "in_rassegna": known and is_article(extracted) and article.mentions > 0,
            "date_source": extracted.date_source,
            "canonical_url": extracted.canonical_url,
            "attribution": extracted.attribution,
        }
    )
    return record
