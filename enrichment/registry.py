"""The outlet registry (contract 1): ``sources.yaml`` validated into frozen objects.

The registry is data; code appears only where an outlet needs special handling. Loading
refuses unknown keys, bad categories, malformed URLs and missing names with a message that
names the file, the outlet (index and name) and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from enrichment.errors import RegistryError
from enrichment.registry_sections import (
    DiscoverySettings,
    DocumentHeader,
    EditionSettings,
    parse_discovery,
    parse_document,
    parse_editions,
)
from enrichment.vocabulary import CATEGORIES

DEFAULT_INTERVAL_MINUTES = 360
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_OUTLET_KEYS = {
    "name",
    "category",
    "audience",
    "urls",
    "feeds",
    "sitemaps",
    "pages",
    "search",
    "aggregator",
    "language",
    "city",
    "interval",
    "closed",
    "notes",
}
_TOP_KEYS = {"topic", "outlets", "alerts", "document", "editions", "discovery"}
_TOPIC_KEYS = {"name", "query", "variants"}


@dataclass(frozen=True)
class Topic:
    """What the rassegna is about."""

    name: str
    """Shown in the rassegna and alerts ("LgNet2")."""
    query: str
    """The term put into site-search URL templates."""
    variants: tuple[str, ...] = ()
    """Extra spellings to catch besides those derived from ``name``."""


@dataclass(frozen=True)
class Outlet:
    """One outlet (Testata) and the entry points through which it is watched."""

    name: str
    category: str
    audience: int | None = None
    urls: tuple[str, ...] = ()
    """Hosts or host/path-prefixes (no scheme) that attribute a page to this outlet."""
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    """Site-search URL templates containing ``{query}``."""
    aggregator: bool = False
    language: str | None = None
    city: str | None = None
    """Home city of a local outlet: a hint when the article names none."""
    interval: int = DEFAULT_INTERVAL_MINUTES
    """Minutes between scheduled crawls of this outlet."""
    closed: str | None = None
    """ISO date since which the outlet publishes nothing: it stays in the registry so that its
    archive is still attributed and imported, and is never crawled."""

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    def entry_points(self, query: str) -> Iterable[tuple[str, str]]:
        """(kind, url) pairs to start a crawl from, with the topic put into search templates;
        none for a closed outlet."""
        if self.closed:
            return
        for url in self.feeds:
            yield "feed", url
        for url in self.sitemaps:
            yield "sitemap", url
        for url in self.pages:
            yield "listing", url
        for template in self.search:
            yield "search", template.replace("{query}", query)


@dataclass(frozen=True)
class Registry:
    topic: Topic
    outlets: tuple[Outlet, ...]
    alerts: tuple[str, ...] = ()
    path: str = ""
    document: DocumentHeader = field(default_factory=DocumentHeader)
    editions: EditionSettings = field(default_factory=EditionSettings)
    discovery: DiscoverySettings | None = None
    """Where to look beyond the outlets (contract 7); None: only the outlets are watched."""
    _by_host: dict[str, tuple[tuple[str, Outlet], ...]] = field(
        init=False, repr=False, compare=False
    )
    _by_name: dict[str, Outlet] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the outlets by name and by host, each host's path prefixes longest first, so
        that ``outlet_for_url`` finds the most specific match (an agency's service by its
        path). Both lookups run for every page of a crawl: a scan of thousands of outlets
        each time would cost more than the page."""
        by_host: dict[str, list[tuple[str, Outlet]]] = {}
        by_name: dict[str, Outlet] = {}
        for outlet in self.outlets:
            by_name.setdefault(outlet.name, outlet)
            for entry in outlet.urls:
                host, _, rest = entry.partition("/")
                by_host.setdefault(_bare_host(host), []).append(("/" + rest, outlet))
        ordered = {
            host: tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))
            for host, pairs in by_host.items()
        }
        object.__setattr__(self, "_by_host", ordered)
        object.__setattr__(self, "_by_name", by_name)

    def outlet(self, name: str) -> Outlet:
        return self._by_name[name]

    def outlet_for_url(self, url: str) -> Outlet | None:
        """The outlet whose ``urls`` entry is the longest match of ``url``'s host and path."""
        parts = urlsplit(url)
        path = parts.path or "/"
        for prefix_path, outlet in self._by_host.get(_bare_host(parts.hostname or ""), ()):
            if path.startswith(prefix_path):
                return outlet
        return None

    def select(self, names: Iterable[str]) -> Registry:
        """A registry restricted to the named outlets (``--outlet``)."""
        wanted = list(names)
        unknown = [n for n in wanted if n not in {o.name for o in self.outlets}]
        if unknown:
            raise RegistryError(self.path, f"no outlet named {unknown[0]!r}")
        return replace(self, outlets=tuple(o for o in self.outlets if o.name in wanted))


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader in C (libyaml) where it was built with it: the same data, six times
faster than the pure-Python one, which took seconds on a registry of thousands of outlets."""


def load_registry(path: str | os.PathLike[str]) -> Registry:
    """Read and validate a registry file."""
    file = Path(path)
    name = str(file)
    try:
        raw = yaml.load(file.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 (safe)
    except OSError as exc:
        raise RegistryError(name, f"cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RegistryError(name, f"not valid YAML{where}") from exc
    return parse_registry(raw, name)


def parse_registry(raw: Any, path: str = "<registry>") -> Registry:
    if not isinstance(raw, Mapping):
        raise RegistryError(path, "expected a mapping with 'topic' and 'outlets'")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise RegistryError(path, f"unknown top-level key {sorted(unknown)[0]!r}")
    topic = _parse_topic(raw.get("topic"), path)
    outlets_raw = raw.get("outlets")
    if not isinstance(outlets_raw, list) or not outlets_raw:
        raise RegistryError(path, "'outlets' must be a non-empty list")
    outlets = tuple(_parse_outlet(entry, i, path) for i, entry in enumerate(outlets_raw, 1))
    seen: set[str] = set()
    for i, outlet in enumerate(outlets, 1):
        if outlet.name in seen:
            raise RegistryError(
                path, "duplicate outlet name", index=i, name=outlet.name, field="name"
            )
        seen.add(outlet.name)
    alerts = raw.get("alerts") or []
    if not isinstance(alerts, list) or not all(isinstance(a, str) for a in alerts):
        raise RegistryError(path, "'alerts' must be a list of Apprise URLs")
    return Registry(
        topic,
        outlets,
        tuple(alerts),
        path,
        document=parse_document(raw.get("document"), path),
        editions=parse_editions(raw.get("editions"), path),
        discovery=parse_discovery(raw.get("discovery"), path),
    )


def _parse_topic(raw: Any, path: str) -> Topic:
    if raw is None:
        return Topic(name="LgNet2", query="lgnet2")
    if not isinstance(raw, Mapping):
        raise RegistryError(path, "'topic' must be a mapping with 'name' and 'query'")
    unknown = set(raw) - _TOPIC_KEYS
    if unknown:
        raise RegistryError(path, f"unknown key {sorted(unknown)[0]!r} in 'topic'")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(path, "'topic.name' must be a non-empty string")
    query = raw.get("query", name.lower())
    if not isinstance(query, str) or not query.strip():
        raise RegistryError(path, "'topic.query' must be a non-empty string")
    variants = raw.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise RegistryError(path, "'topic.variants' must be a list of strings")
    return Topic(name=name.strip(), query=query.strip(), variants=tuple(variants))


def _parse_outlet(raw: Any, index: int, path: str) -> Outlet:
    if not isinstance(raw, Mapping):
        raise RegistryError(path, "must be a mapping", index=index)
    name = raw.get("name")

    def fail(field: str, reason: str) -> RegistryError:
        return RegistryError(
            path, reason, index=index, name=name if isinstance(name, str) else None, field=field
        )

    if not isinstance(name, str) or not name.strip():
        raise fail("name", "missing or empty")
    unknown = set(raw) - _OUTLET_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise fail(key, f"unknown key (allowed: {', '.join(sorted(_OUTLET_KEYS))})")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise fail("category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    audience = raw.get("audience")
    if audience is not None and (
        isinstance(audience, bool) or not isinstance(audience, int) or audience < 0
    ):
        raise fail("audience", f"{audience!r} is not a non-negative integer")
    urls = _str_list(raw, "urls", fail)
    for entry in urls:
        if "://" in entry or not entry or " " in entry or "." not in entry.split("/")[0]:
            raise fail("urls", f"{entry!r} is not a host or host/path-prefix (no scheme)")
    lists = {}
    for key in ("feeds", "sitemaps", "pages", "search"):
        values = _str_list(raw, key, fail)
        for value in values:
            _check_url(value, key, fail)
            if key == "search" and "{query}" not in value:
                raise fail(key, f"{value!r} has no {{query}} placeholder")
        lists[key] = values
    if not urls:
        hosts = {urlsplit(u).hostname for vals in lists.values() for u in vals}
        urls = tuple(sorted(h for h in hosts if h))
    aggregator = raw.get("aggregator", False)
    if not isinstance(aggregator, bool):
        raise fail("aggregator", "must be true or false")
    interval = raw.get("interval", DEFAULT_INTERVAL_MINUTES)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval <= 0:
        raise fail("interval", "must be a positive number of minutes")
    for key in ("language", "city"):
        if raw.get(key) is not None and not isinstance(raw.get(key), str):
            raise fail(key, "must be a string")
    closed = raw.get("closed")
    if isinstance(closed, date):  # YAML reads an unquoted 2025-01-10 as a date
        closed = closed.isoformat()
    if closed is not None and not (isinstance(closed, str) and _ISO_DAY.fullmatch(closed)):
        raise fail("closed", f"{closed!r} is not a date (YYYY-MM-DD)")
    return Outlet(
        name=name.strip(),
        category=category,
        audience=audience,
        urls=urls,
        feeds=lists["feeds"],
        sitemaps=lists["sitemaps"],
        pages=lists["pages"],
        search=lists["search"],
        aggregator=aggregator,
        language=raw.get("language"),
        city=raw.get("city"),
        interval=interval,
        closed=closed,
    )


def _str_list(raw: Mapping[str, Any], key: str, fail: Any) -> tuple[str, ...]:
    value = raw.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, "must be a list of strings")
    return tuple(v.strip() for v in value)


def _check_url(value: str, key: str, fail: Any) -> None:
    probe = value.replace("{query}", "q")
    parts = urlsplit(probe)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in probe:
        raise fail(key, f"{value!r} is not an http(s) URL")
