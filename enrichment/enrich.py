"""The enrichment chain: an extracted page plus its outlet -> the article the store keeps.

Each step is a small function of its own module (language, mentions, cities, journalist,
tags); this module only composes them, decides which address is the item's identity, and
labels aggregator rows "<aggregator> – <original brand>".

A page that is a consent, cookie, pay or login wall (``enrichment.walls``) is never read as
the article (contract 7): the item is what its entry point (feed, sitemap, discovery result)
said of it, headline and summary, marked ``walled``, and without a headline it is not kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from enrichment.cities import detect_city
from enrichment.dates import date_from_url
from enrichment.extract import extract_page
from enrichment.journalist import format_journalist
from enrichment.language import detect_language
from enrichment.mentions import find_mentions, topic_pattern
from enrichment.records import Article, Extracted
from enrichment.registry import Outlet, Topic
from enrichment.tags import action_areas
from enrichment.urls import canonical_url, same_site
from enrichment.walls import PAY, wall_kind

MIN_TEXT_CHARS = 80
"""Below this, a page with no description is a stub, an index or an error page."""

_URL_YEAR = re.compile(r"/(20\d\d)/")


@cache
def _pattern(topic: Topic) -> re.Pattern[str]:
    return topic_pattern(topic.name, topic.variants)


def item_url(page: Extracted) -> str:
    """The item's identity: the page's own canonical link when it is a plausible article URL on
    the same site, else the address it was fetched from."""
    fetched = canonical_url(page.url)
    if page.canonical_url:
        declared = canonical_url(page.canonical_url)
        path = declared.split("://", 1)[-1].partition("/")[2]
        if same_site(declared, fetched) and path.strip("/"):
            return declared
    return fetched


def outlet_label(outlet: Outlet, page: Extracted) -> str:
    brand = (page.attribution or "").strip()
    if outlet.aggregator and brand and brand.casefold() != outlet.name.casefold():
        return f"{outlet.name} – {brand}"
    return outlet.name


def enrich(
    page: Extracted,
    outlet: Outlet,
    topic: Topic,
    *,
    source: str = "crawl",
    wall: str | None = None,
) -> Article:
    """The article of ``page``; with ``wall`` (its kind), ``page`` is already what the entry
    point said of the walled page (``walled_page``) and the item is marked ``walled``."""
    title = page.title or ""
    mentions = find_mentions(_pattern(topic), title, page.text)
    if not mentions.count and page.description:
        mentions = find_mentions(_pattern(topic), page.description)
    language = detect_language(
        f"{title}\n{page.text or page.description or ''}",
        declared=page.language_declared or outlet.language,
    )
    extra = {
        key: value
        for key, value in (
            ("date_source", page.date_source),
            ("attribution_url", page.attribution_url),
            ("description", page.description),
            ("wall", wall),
        )
        if value
    }
    url = item_url(page)
    return Article(
        url=url,
        outlet=outlet_label(outlet, page),
        category=outlet.category,
        audience=outlet.audience,
        title=title,
        date=page.date,
        date_raw=page.date_raw,
        journalist=format_journalist(page.author_raw, outlet=outlet.name, site_name=page.site_name),
        author_raw=page.author_raw,
        text=page.text,
        language=language,
        mentions=mentions.count,
        snippets=mentions.snippets,
        city=detect_city(title, page.text or page.description or "", hint=outlet.city),
        tags=action_areas(title, page.text),
        source=source,
        site_name=page.site_name,
        fetched_url=page.url if canonical_url(page.url) != url else None,
        extra=extra,
        walled=wall is not None,
    )


def is_article(page: Extracted) -> bool:
    """Whether the page is a single piece of content worth keeping."""
    body = page.text or page.description or ""
    return bool(page.title) and len(body) >= MIN_TEXT_CHARS


@dataclass(frozen=True)
class PageOutcome:
    """What one fetched page gave."""

    article: Article | None
    """The item to store; None when the page is not an article, or is a wall whose headline
    no entry point gave."""
    wall: str | None = None
    """The kind of wall (``enrichment.walls``) the publisher served instead of the article:
    the crawl counts these per outlet, stored or not."""


def walled_page(
    page: Extracted, wall: str, title: str, summary: str | None, hint_date: str | None
) -> Extracted:
    """What an item may keep of a wall page: the entry point's headline and summary in place
    of the page's, and only the facts the wall cannot have falsified. A paywall shows the
    article's own head (date, byline, canonical link) above its teaser, so those stay; a
    consent or login page is the publisher's, not the article's: its date comes from the
    entry point or the URL, and its address is the one fetched."""
    if wall == PAY:
        return replace(page, title=title, text=summary or "", description=None)
    date = (hint_date, hint_date, "entry point") if hint_date else None
    if date is None and (from_url := date_from_url(page.url)) is not None:
        date = (*from_url, "url")
    return Extracted(
        url=page.url,
        title=title,
        text=summary or "",
        date=date[0] if date else None,
        date_raw=date[1] if date else None,
        date_source=date[2] if date else None,
        site_name=page.site_name,
        language_declared=page.language_declared,
    )


def read_page(
    body: bytes,
    url: str,
    encoding: str | None,
    outlet: Outlet,
    topic: Topic,
    hint_date: str | None = None,
    hint_title: str | None = None,
    hint_summary: str | None = None,
) -> PageOutcome:
    """Extraction and enrichment of one fetched page, with what its entry point said of it
    (date, headline, summary); runs in a worker process."""
    year = int(hint_date[:4]) if hint_date and hint_date[:4].isdigit() else None
    if year is None and (match := _URL_YEAR.search(url)):
        year = int(match.group(1))
    page = extract_page(body, url, encoding=encoding, year_hint=year)
    wall = wall_kind(body, page.text, encoding=encoding)
    if wall is not None:
        title = " ".join((hint_title or "").split())
        if not title:
            return PageOutcome(None, wall)
        summary = " ".join((hint_summary or "").split()) or None
        known = walled_page(page, wall, title, summary, hint_date)
        return PageOutcome(enrich(known, outlet, topic, wall=wall), wall)
    if not is_article(page):
        return PageOutcome(None)
    return PageOutcome(enrich(page, outlet, topic))


def process_page(
    body: bytes,
    url: str,
    encoding: str | None,
    outlet: Outlet,
    topic: Topic,
    hint_date: str | None = None,
    hint_title: str | None = None,
    hint_summary: str | None = None,
) -> Article | None:
    """The article of one fetched page (``read_page``), for callers that need no wall count."""
    return read_page(
        body, url, encoding, outlet, topic, hint_date, hint_title, hint_summary
    ).article
