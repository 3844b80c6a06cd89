"""The registry's sections beside the topic and the outlets: how the document presents itself
(``document``), where editions go (``editions``) and where to look beyond the registry
(``discovery``, contract 7).

Each is optional and has defaults, so a registry of outlets alone still works; each parser
refuses unknown keys and bad values with a one-line ``RegistryError`` naming the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enrichment.errors import RegistryError
from enrichment.vocabulary import CATEGORIES

_EDITIONS_KEYS = {"to", "every"}
EDITION_SCHEDULES = ("daily", "weekly", "off")
_DOCUMENT_KEYS = {"title", "header", "highlights", "logos", "project", "funding"}
_LOGO_KEYS = {"file", "alt"}
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
"""File signatures of the logo formats every renderer can embed (HTML, PDF, Word)."""
DISCOVERY_SOURCES = ("google_news", "bing_news", "gdelt")
_DISCOVERY_KEYS = {"sources", "default_category", "interval"}
DEFAULT_DISCOVERY_INTERVAL = 60


@dataclass(frozen=True)
class Logo:
    """A logo of the document's cover, read when the registry is loaded.

    The bytes are kept rather than the path so that a document rendered later (an edition
    approved hours after the service started) cannot fail on a file moved meanwhile, and the
    renderers never touch the file system.
    """

    file: str
    """The path as resolved at load, for messages."""
    media_type: str
    """``image/png`` or ``image/jpeg``."""
    data: bytes = field(repr=False)
    alt: str = ""
    """What the logo shows, for readers who cannot see it ("Unione Europea")."""


@dataclass(frozen=True)
class DocumentHeader:
    """How the rassegna document presents itself (registry key ``document``)."""

    title: str = ""
    """E.g. "LgNet2 Rassegna Stampa Press Tour"; default "<topic> Rassegna Stampa"."""
    header: tuple[str, ...] = ()
    """Lines printed first: fund, objectives."""
    highlights: int = 6
    """How many outlets with the largest audience the document names as highlights."""
    logos: tuple[Logo, ...] = ()
    """Printed in a row at the top of the cover, in this order."""
    project: str = ""
    """The project's full title, on the cover above the document title."""
    funding: str = ""
    """The funding statement the financing rules ask for on every publication."""


@dataclass(frozen=True)
class EditionSettings:
    """Who receives the approved editions, and how often ``rassegna run`` prepares a draft
    (registry key ``editions``: a list of Apprise URLs, or a mapping with ``to`` and ``every``)."""

    to: tuple[str, ...] = ()
    """Apprise URLs of the recipients (secrets included: never log them)."""
    every: str = "off"
    """``daily``, ``weekly`` or ``off``."""


@dataclass(frozen=True)
class DiscoverySettings:
    """Where to look for mentions beyond the registry (registry key ``discovery``, contract 7)."""

    sources: tuple[str, ...] = DISCOVERY_SOURCES
    """Which of ``google_news``, ``bing_news``, ``gdelt`` to query, in this order."""
    default_category: str = "portali"
    """The category of an item found on a site the registry does not list."""
    interval: int = DEFAULT_DISCOVERY_INTERVAL
    """Minutes between two discovery rounds of ``rassegna run``."""


def parse_editions(raw: Any, path: str) -> EditionSettings:
    if raw is None:
        return EditionSettings()
    if isinstance(raw, list):
        raw = {"to": raw}
    if not isinstance(raw, Mapping):
        raise RegistryError(path, "'editions' must be a list of Apprise URLs or a mapping")
    unknown = set(raw) - _EDITIONS_KEYS
    if unknown:
        raise RegistryError(path, f"unknown key {sorted(unknown)[0]!r} in 'editions'")
    to = raw.get("to") or []
    if not isinstance(to, list) or not all(isinstance(url, str) for url in to):
        raise RegistryError(path, "'editions.to' must be a list of Apprise URLs")
    every = raw.get("every", "off")
    if every is False:  # YAML reads an unquoted ``off`` as false
        every = "off"
    if every not in EDITION_SCHEDULES:
        raise RegistryError(path, f"'editions.every' must be one of {', '.join(EDITION_SCHEDULES)}")
    return EditionSettings(to=tuple(to), every=every)


def parse_document(raw: Any, path: str) -> DocumentHeader:
    if raw is None:
        return DocumentHeader()
    if not isinstance(raw, Mapping):
        raise RegistryError(path, "'document' must be a mapping (title, header, logos...)")
    unknown = set(raw) - _DOCUMENT_KEYS
    if unknown:
        raise RegistryError(path, f"unknown key {sorted(unknown)[0]!r} in 'document'")
    header = raw.get("header") or []
    highlights = raw.get("highlights", 6)
    lines = {}
    for key in ("title", "project", "funding"):
        value = raw.get(key) or ""
        if not isinstance(value, str):
            raise RegistryError(path, f"'document.{key}' must be a string")
        lines[key] = " ".join(value.split())
    if not isinstance(header, list) or not all(isinstance(h, str) for h in header):
        raise RegistryError(path, "'document.header' must be a list of lines")
    if isinstance(highlights, bool) or not isinstance(highlights, int) or highlights < 0:
        raise RegistryError(path, "'document.highlights' must be a non-negative integer")
    logos = raw.get("logos") or []
    if not isinstance(logos, list):
        raise RegistryError(path, "'document.logos' must be a list of image files")
    return DocumentHeader(
        title=lines["title"],
        header=tuple(header),
        highlights=highlights,
        logos=tuple(_read_logo(entry, path) for entry in logos),
        project=lines["project"],
        funding=lines["funding"],
    )


def _read_logo(entry: Any, path: str) -> Logo:
    """A ``document.logos`` entry (a file name, or ``file`` and ``alt``) read and checked.

    Relative names are taken from the registry's own folder, so a registry kept elsewhere
    with its logos beside it works wherever the command is started from.
    """
    if isinstance(entry, str):
        entry = {"file": entry}
    if not isinstance(entry, Mapping) or set(entry) - _LOGO_KEYS:
        raise RegistryError(path, "'document.logos' entries must be a file or {file, alt}")
    name, alt = entry.get("file"), entry.get("alt", "")
    if not isinstance(name, str) or not name.strip() or not isinstance(alt, str):
        raise RegistryError(path, "'document.logos' entries need a 'file' and a text 'alt'")
    file = Path(path).parent / name.strip()
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise RegistryError(
            path, f"logo {str(file)!r} cannot be read: {exc.strerror or exc}"
        ) from exc
    media_type = next((kind for sig, kind in IMAGE_TYPES.items() if data.startswith(sig)), None)
    if media_type is None:
        raise RegistryError(path, f"logo {str(file)!r} is not a PNG or JPEG image")
    return Logo(file=str(file), media_type=media_type, data=data, alt=" ".join(alt.split()))


def parse_discovery(raw: Any, path: str) -> DiscoverySettings | None:
    """None when the key is absent: discovery then stays off, as before contract 7."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise RegistryError(path, "'discovery' must be a mapping (sources, default_category...)")
    unknown = set(raw) - _DISCOVERY_KEYS
    if unknown:
        raise RegistryError(path, f"unknown key {sorted(unknown)[0]!r} in 'discovery'")
    sources = raw.get("sources", list(DISCOVERY_SOURCES))
    if not isinstance(sources, list) or not sources:
        raise RegistryError(path, "'discovery.sources' must be a non-empty list")
    for source in sources:
        if source not in DISCOVERY_SOURCES:
            raise RegistryError(
                path,
                f"'discovery.sources': {source!r} is not one of {', '.join(DISCOVERY_SOURCES)}",
            )
    category = raw.get("default_category", "portali")
    if category not in CATEGORIES:
        raise RegistryError(
            path,
            f"'discovery.default_category': {category!r} is not one of {', '.join(CATEGORIES)}",
        )
    interval = raw.get("interval", DEFAULT_DISCOVERY_INTERVAL)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval <= 0:
        raise RegistryError(path, "'discovery.interval' must be a positive number of minutes")
    return DiscoverySettings(
        sources=tuple(dict.fromkeys(sources)), default_category=category, interval=interval
    )
