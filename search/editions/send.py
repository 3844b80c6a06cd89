"""Sending an approved edition: the document by e-mail, a summary with a link elsewhere.

Recipients are Apprise URLs (``edition_recipients``: ``--to``, else ``RASSEGNA_EDITION_URLS``,
else ``editions:`` in the registry). E-mail channels (``mailto://``, ``mailtos://``) get the
frozen PDF attached (the Word document when the edition has no PDF) and a short Italian body:
period, number of uscite, total audience and the items "In evidenza". Other channels (webhooks,
chats) get the same summary and a link to the edition on the desk, at
``RASSEGNA_PUBLIC_URL/edizioni/<N>`` when that address is configured. Everything comes from the
frozen files, never from the live rassegna.

Each recipient gets the edition once: the ledger (``search.editions.store``) records every
attempt before it leaves, so a send interrupted by a crash is reported ``uncertain`` at the
next one and not repeated. A recipient that cannot be reached (an SMTP server down or refusing)
is tried again after ``RETRY_DELAYS`` (1, 2, 4 s; env ``RASSEGNA_EDITION_RETRY_DELAYS``,
seconds separated by spaces); then the send stops with ``DeliveryError``, and that recipient
and the ones after it wait, pending, for the next send. A draft is never sent; a sent edition
is sent again only with ``again`` (every recipient once more).

Secrets in the URLs (passwords, tokens) never reach a message, a log line or a document:
recipients are shown by their masked ``Channel.name``, and a reason given by the channel has
them blanked.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from enrichment.registry import Registry
from enrichment.vocabulary import italian_date, italian_number
from search.alerts.channels import Channel, parse_channels, try_send
from search.editions.freeze import frozen_file
from search.editions.store import (
    DELIVERED,
    DRAFT,
    SENT,
    UNCERTAIN,
    Delivery,
    Edition,
    EditionStore,
    open_editions,
)
from search.errors import DeliveryError, EditionError

logger = logging.getLogger(__name__)

EMAIL_SCHEMES = ("mailto", "mailtos")
RETRY_DELAYS = (1.0, 2.0, 4.0)
"""Seconds between the attempts to reach one recipient within a send."""
URLS_ENV = "RASSEGNA_EDITION_URLS"
DELAYS_ENV = "RASSEGNA_EDITION_RETRY_DELAYS"
PUBLIC_URL_ENV = "RASSEGNA_PUBLIC_URL"
MAX_HIGHLIGHTS = 10
_SECRET_KEYS = re.compile(r"pass|secret|token|key|auth", re.IGNORECASE)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    page: str
    """The same as HTML, for the channels that show it."""


@dataclass(frozen=True)
class SendReport:
    edition: Edition
    delivered: tuple[Delivery, ...] = ()
    """Reached by this send."""
    uncertain: tuple[Delivery, ...] = ()
    """Found interrupted mid-send by a crash (of any edition), now ``uncertain``."""
    already_sent: bool = False
    """The edition had been sent: nothing was sent (``again`` was not asked)."""


def edition_recipients(
    to: Sequence[str], registry: Registry, environ: Mapping[str, str] = os.environ
) -> tuple[Channel, ...]:
    """The recipients asked for, checked; ``EditionError`` when none is configured and
    ``ChannelError`` (naming it without secrets) for a URL Apprise cannot use."""
    urls = list(to) or environ.get(URLS_ENV, "").split() or list(registry.editions.to)
    if not urls:
        raise EditionError(
            f"no recipients: give --to APPRISE_URL, set {URLS_ENV} or list them under "
            "'editions:' in the registry"
        )
    return parse_channels(urls)


def retry_delays(environ: Mapping[str, str] = os.environ) -> tuple[float, ...]:
    """``RETRY_DELAYS``, or the seconds in ``RASSEGNA_EDITION_RETRY_DELAYS``."""
    raw = environ.get(DELAYS_ENV)
    if raw is None:
        return RETRY_DELAYS
    try:
        delays = tuple(float(value) for value in raw.split())
    except ValueError:
        delays = (-1.0,)
    if any(d < 0 for d in delays):
        raise EditionError(f"{DELAYS_ENV}={raw!r}: expected seconds separated by spaces")
    return delays


def send_edition(
    data_dir: Path,
    number: int,
    channels: Sequence[Channel],
    *,
    actor: str,
    again: bool = False,
    delays: Sequence[float] = RETRY_DELAYS,
    public_url: str | None = None,
    on_delivered: Callable[[Delivery], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send the approved edition to each recipient that has not had it (everyone again with
    ``again``); ``on_delivered`` hears of each delivery as it happens."""
    with open_editions(data_dir) as book, book.locked():
        uncertain = tuple(book.recover())
        for delivery in uncertain:
            logger.warning(
                "Edition %d to %s was being sent when a send stopped: it may or may not "
                "have arrived, and is not sent again",
                delivery.edition,
                delivery.name,
            )
        edition = book.get(number)
        if edition.state == DRAFT:
            raise EditionError(
                f"edition {number} is a draft: approve it first (rassegna edition approve "
                f"{number}); a draft is never sent"
            )
        if edition.state == SENT and not again:
            return SendReport(edition, uncertain=uncertain, already_sent=True)
        messages = {
            email: compose_edition(data_dir, edition, public_url, email=email)
            for email in (True, False)
        }
        attachment = _attachment(data_dir, edition)
        wanted = {c.url for c in channels}
        round_ = book.queue(number, [(c.url, c.name) for c in channels], again=again)
        due = [
            d
            for d in book.deliveries(number, round_)
            if d.url in wanted and d.state not in (DELIVERED, UNCERTAIN)
        ]
        delivered = []
        for position, delivery in enumerate(due):
            email = urlsplit(delivery.url).scheme.lower() in EMAIL_SCHEMES
            error = _deliver(
                book, delivery, messages[email], attachment if email else None, delays, sleep
            )
            if error is not None:
                waiting = len(due) - position
                raise DeliveryError(
                    f"edition {number} not delivered to {delivery.name} after "
                    f"{len(delays) + 1} attempts: {error}; {waiting} recipient"
                    f"{'s' if waiting != 1 else ''} still waiting: run rassegna edition send "
                    f"{number} again"
                )
            delivered.append(replace(delivery, state=DELIVERED))
            if on_delivered is not None:
                on_delivered(delivery)
        edition = book.mark_sent(number, actor=actor)
    return SendReport(edition, delivered=tuple(delivered), uncertain=uncertain)


def _deliver(
    book: EditionStore,
    delivery: Delivery,
    message: Message,
    attachment: str | None,
    delays: Sequence[float],
    sleep: Callable[[float], None],
) -> str | None:
    """Try one recipient, then again after each delay; None once delivered, else why not."""
    error = None
    channel = Channel(url=delivery.url, name=delivery.name)
    for attempt, wait in enumerate((0.0, *delays)):
        if attempt:
            sleep(wait)
        book.mark_attempting(delivery)
        error = try_send(
            channel,
            message.subject,
            message.text,
            body_html=message.page,
            key=f"edizione-{delivery.edition}-{delivery.round}-{delivery.id}",
            attach=attachment,
        )
        if error is None:
            book.mark_delivered(delivery)
            return None
        error = masked(error, channel)
        book.mark_failed(delivery, error)
    return error


def masked(text: str, channel: Channel) -> str:
    """``text`` with the secrets of the channel's URL (password, tokens) blanked."""
    parts = urlsplit(channel.url)
    secrets = [parts.password or ""]
    secrets += [value for key, value in parse_qsl(parts.query) if _SECRET_KEYS.search(key)]
    for secret in sorted({s for s in secrets if len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
        text = text.replace(unquote(secret), "***")
    return text


def _attachment(data_dir: Path, edition: Edition) -> str:
    """The Apprise attachment URL of the PDF, or of the Word document without a PDF."""
    fmt = "pdf" if "pdf" in edition.formats else "docx"
    path = frozen_file(data_dir, edition, fmt)
    return f"{path.resolve().as_uri()}?name=rassegna-edizione-{edition.number}.{fmt}"


def compose_edition(
    data_dir: Path, edition: Edition, public_url: str | None = None, *, email: bool = True
) -> Message:
    """The message of an edition, from its frozen JSON: subject, text and HTML; for e-mail
    it announces the attached document, elsewhere it links to the desk."""
    summary: dict[str, Any] = json.loads(frozen_file(data_dir, edition, "json").read_bytes())
    topic = str(summary.get("topic") or "Rassegna")
    period = f"dal {italian_date(edition.since)} al {italian_date(edition.until)}"
    total = summary.get("total") or {}
    audience = italian_number(total.get("audience")) or "n.d."
    heading, picks = _highlights(summary.get("items") or [])
    link = f"{public_url.rstrip('/')}/edizioni/{edition.number}" if public_url else None
    fmt = "PDF" if "pdf" in edition.formats else "Word"
    subject = f"{topic} — Rassegna stampa, {edition.label} ({period})"
    text = [
        f"Rassegna stampa {topic}, {edition.label}.",
        "",
        f"Periodo: {period}",
        f"Numero uscite: {total.get('uscite', 0)}",
        f"Audience totale: {audience}",
    ]
    if picks:
        text += ["", f"{heading}:"] + [f"- {pick}" for pick in picks]
    page = [
        f"<p>Rassegna stampa <strong>{_esc(topic)}</strong>, {_esc(edition.label)}.</p>",
        "<p>" + "<br>".join(_esc(line) for line in text[2:5]) + "</p>",
    ]
    if picks:
        page.append(f"<p><strong>{_esc(heading)}:</strong></p>")
        page.append("<ul>" + "".join(f"<li>{_esc(p)}</li>" for p in picks) + "</ul>")
    if email:
        closing = f"In allegato il documento completo ({fmt})."
        if link:
            closing += " È anche sul desk:"
    elif link:
        closing = "Il documento completo:"
    else:
        closing = "Il documento completo è sul desk della rassegna, alla voce Edizioni."
    text += ["", f"{closing} {link}" if link else closing]
    anchor = f' <a href="{_esc(link)}">{_esc(link)}</a>' if link else ""
    page.append(f"<p>{_esc(closing)}{anchor}</p>")
    return Message(subject=subject, text="\n".join(text) + "\n", page="\n".join(page) + "\n")


def _highlights(items: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The items the office put "In evidenza", else the outlets with the largest audience."""
    chosen = [
        f"{_line(i.get('outlet'))}: {_line(i.get('title'))}" for i in items if i.get("highlight")
    ]
    if chosen:
        extra = len(chosen) - MAX_HIGHLIGHTS
        return "In evidenza", chosen[:MAX_HIGHLIGHTS] + ([f"e altre {extra}"] if extra > 0 else [])
    audiences: dict[str, int] = {}
    for item in items:
        if item.get("audience"):
            name = _line(item.get("outlet"))
            audiences[name] = max(audiences.get(name, 0), int(item["audience"]))
    top = sorted(audiences, key=lambda o: (-audiences[o], o))[:5]
    return "Testate con l'audience maggiore", top


def _line(value: object) -> str:
    return " ".join(str(value or "").split())


def _esc(value: str) -> str:
    return html.escape(value, quote=True)
