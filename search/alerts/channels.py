"""Alert channels: Apprise URLs (``mailto://``, ``json://``, ``slack://``...), checked and used.

The URLs come from ``alerts:`` in the registry or ``RASSEGNA_ALERT_URLS``. They often hold
secrets (passwords, tokens), so each channel carries a ``name`` safe to log, built from
Apprise's own privacy form of the URL without the query string. A URL Apprise cannot use is
refused when the service starts, not discovered when the first mention arrives.

Every message carries the alert's stable key so a receiver can drop a repeat: as the header
``X-Rassegna-Alert-Key`` (email, webhooks), as the field ``alert_key`` of JSON and XML
payloads, and otherwise as the last line of the body.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import apprise
from apprise.manager_plugins import NotificationManager

from search.errors import ChannelError

logger = logging.getLogger(__name__)

KEY_HEADER = "X-Rassegna-Alert-Key"
KEY_FIELD = "alert_key"
SENDER = "rassegna"
"""The name Apprise gives the sender (email ``From`` name, HTTP ``User-Agent``)."""


@dataclass(frozen=True)
class Channel:
    url: str = field(repr=False)
    """The Apprise URL, secrets included: never log it."""
    name: str
    """``scheme://host[:port]/path`` with Apprise's private parts masked: safe to log."""


def parse_channels(urls: Iterable[str]) -> tuple[Channel, ...]:
    """Channels for the given URLs, in order; ``ChannelError`` for the first unusable one."""
    channels: list[Channel] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(urls, start=1):
        url = raw.strip()
        name = redact(url)
        if not url:
            raise ChannelError("''", "empty URL", position=position)
        if url in seen:
            raise ChannelError(name, f"same URL as channel #{seen[url]}", position=position)
        try:
            urlsplit(url).port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError as exc:
            raise ChannelError(name, str(exc), position=position) from None
        plugin = _instantiate(url, name, position)
        seen[url] = position
        channels.append(Channel(url=url, name=redact(plugin.url(privacy=True))))
    return tuple(channels)


def redact(url: str) -> str:
    """``scheme://host[:port]/path``: the URL without credentials, query or fragment, its path
    decoded so that an address reads ``stampa@comune.it`` on a page, not ``stampa%40comune.it``."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, unquote(parts.path), "", ""))


def send(
    channel: Channel, title: str, body: str, *, body_html: str | None = None, key: str
) -> bool:
    """Deliver one message; ``False`` (and a warning) when the channel did not take it."""
    return try_send(channel, title, body, body_html=body_html, key=key) is None


def try_send(
    channel: Channel,
    title: str,
    body: str,
    *,
    body_html: str | None = None,
    key: str,
    attach: str | None = None,
) -> str | None:
    """Deliver one message: ``None`` when the channel took it, else the reason it did not.

    ``attach`` is a file to send along (an Apprise attachment URL, ``file:///...?name=...``),
    for the channels that carry files (email).

    A fresh Apprise object per message: Apprise throttles repeated sends through one plugin
    object by several seconds, and no state of a failed attempt leaks into the next.
    Never raises for a delivery failure: a channel that is down must not stop the others.
    """
    try:
        plugin, keyed = _keyed_plugin(channel, key)
        if not keyed:
            body += f"\n\nCodice avviso: {key}"
            body_html = body_html and f"{body_html}\n<p><small>Codice avviso: {key}</small></p>"
        if body_html is not None and plugin.resolve_format(None) == apprise.NotifyFormat.HTML:
            body, body_format = body_html, apprise.NotifyFormat.HTML
        else:
            body_format = apprise.NotifyFormat.TEXT
        notifier = apprise.Apprise(asset=_asset())
        notifier.add(plugin)
        result = notifier.notify(body=body, title=title, body_format=body_format, attach=attach)
        if result:
            return None
        reasons = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
        reason = reasons[-1] if reasons else f"not delivered ({result.status.name.lower()})"
    except Exception as exc:  # any plugin may raise anything: the next channel must go on
        reason = f"{type(exc).__name__}: {exc}"
    logger.warning("Alert %s not delivered to %s: %s", key, channel.name, reason)
    return reason


def _keyed_plugin(channel: Channel, key: str) -> tuple[apprise.NotifyBase, bool]:
    """The channel's plugin with the alert key in a header or payload field, if it has one.

    Apprise reads ``+Name=value`` in a URL as a header and ``:name=value`` as an extra payload
    field, for the plugins that declare them (``headers`` and ``payload`` URL arguments).
    """
    plugin = _instantiate(channel.url, channel.name)
    declared = plugin.template_kwargs
    extras = {}
    if declared.get("headers", {}).get("prefix") == "+":
        extras["+" + KEY_HEADER] = key
    if declared.get("payload", {}).get("prefix") == ":":
        extras[":" + KEY_FIELD] = key
    if not extras:
        return plugin, False
    parts = urlsplit(channel.url)
    query = "&".join(q for q in (parts.query, urlencode(extras)) if q)
    keyed = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return _instantiate(keyed, channel.name), True


def _instantiate(url: str, name: str, position: int | None = None) -> apprise.NotifyBase:
    _load_plugins()
    scheme = urlsplit(url).scheme.lower()
    if not scheme or scheme not in NotificationManager():
        raise ChannelError(
            name, f"unknown scheme {scheme!r} (not an Apprise URL)", position=position
        )
    try:
        plugin = apprise.Apprise.instantiate(url, asset=_asset(), suppress_exceptions=False)
    except Exception as exc:  # plugins raise TypeError, ValueError, their own errors...
        raise ChannelError(name, f"Apprise cannot use it: {exc}", position=position) from None
    if plugin is None:
        raise ChannelError(
            name, "Apprise cannot parse it (missing host or token?)", position=position
        )
    return plugin


def _asset() -> apprise.AppriseAsset:
    return apprise.AppriseAsset(app_id=SENDER, app_desc="Rassegna stampa")


@functools.cache
def _load_plugins() -> None:
    """Load Apprise's plugins once, without the ``imghdr`` deprecation warning.

    Apprise loads its plugins on first use; the email plugin imports ``imghdr`` (for PGP
    support), deprecated since Python 3.11. The warning is Apprise's business, not our users',
    and under ``-W error`` (our test suite) it would abort the import half-way.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="'imghdr' is deprecated", category=DeprecationWarning
        )
        NotificationManager().load_modules()
