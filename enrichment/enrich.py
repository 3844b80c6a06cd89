"""The enrichment chain: an extracted page plus its outlet -> the article the store keeps.

Each step is a small function of its own module (language, mentions, cities, journalist,
tags); this module only composes them, decides which address is the item's identity, and
labels aggregator rows "<aggregator> – <original brand>".
"""

from __future__ import annotations

import re
from functools import cache

from enrichment.cities import detect_city
from enrichment.extract import extract_page
from enrichment.journalist import format_journalist
from enrichment.language import detect_language
from enrichment.mentions import find_mentions, topic_pattern
from enrichment.records import Article, Extracted
from enrichment.registry import Outlet, Topic
from enrichment.tags import action_areas
from enrichment.urls import canonical_url, same_site

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


def enrich(page: Extracted, outlet: Outlet, topic: Topic, *, source: str = "crawl") -> Article:
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
    )


def is_article(page: Extracted) -> bool:
    """Whether the page is a single piece of content worth keeping."""
    body = page.text or page.description or ""
    return bool(page.title) and len(body) >= MIN_TEXT_CHARS


def process_page(
    body: bytes,
    url: str,
    encoding: str | None,
    outlet: Outlet,
    topic: Topic,
    hint_date: str | None = None,
) -> Article | None:
    """Extraction and enrichment of one fetched page; runs in a worker process."""
    year = int(hint_date[:4]) if hint_date and hint_date[:4].isdigit() else None
    if year is None and (match := _URL_YEAR.search(url)):
        year = int(match.group(1))
    page = extract_page(body, url, encoding=encoding, year_hint=year)
    if not is_article(page):
        return None
    return enrich(page, outlet, topic)
