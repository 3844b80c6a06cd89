"""The words of an alert, in Italian: a subject, a plain-text body and an HTML body.

An alert is read on a phone between two meetings: the subject says the outlet and the
headline, the body the facts a press officer checks first (testata, date, city, journalist,
why the item matched) and the link. Every string comes from crawled pages, so the HTML body
escapes all of them and links only ``http(s)`` addresses.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from enrichment.vocabulary import CATEGORIES, italian_date
from search.alerts.ledger import Alert
from search.store import StoredItem
from search.syndication import group_copies

UNTITLED = "(senza titolo)"


def compose(alert: Alert, topic: str) -> tuple[str, str, str]:
    """(subject, text body, HTML body) of an alert about ``topic``."""
    if alert.kind == "digest":
        return _digest(alert, topic)
    main, copies = alert.items[0], alert.items[1:]
    a = main.article
    subject = f"{topic}: nuova uscita su {_line(a.outlet)} — {_line(a.title) or UNTITLED}"
    text = [f"Nuova uscita che cita {topic}.", "", _line(a.title) or UNTITLED]
    text += [f"{label}: {value}" for label, value in _facts(main)]
    text.append(f"Link: {a.url}")
    if a.snippets:
        text += ["", "Citazioni:"] + [f"- «{_line(s)}»" for s in a.snippets]
    if copies:
        text += ["", "Anche su:"] + [
            f"- {_line(c.article.outlet)}: {c.article.url}" for c in copies
        ]
    page = [
        f"<p>Nuova uscita che cita <strong>{_esc(topic)}</strong>.</p>",
        f"<h2>{_link(a.url, _line(a.title) or UNTITLED)}</h2>",
        _list(
            [f"<strong>{label}:</strong> {_esc(value)}" for label, value in _facts(main)]
            + [f"<strong>Link:</strong> {_link(a.url, a.url)}"]
        ),
    ]
    if a.snippets:
        page.append("<p><strong>Citazioni:</strong></p>")
        page.append(_list(f"«{_esc(_line(s))}»" for s in a.snippets))
    if copies:
        page.append("<p><strong>Anche su:</strong></p>")
        page.append(
            _list(
                f"{_esc(_line(c.article.outlet))}: {_link(c.article.url, c.article.url)}"
                for c in copies
            )
        )
    return subject, "\n".join(text) + "\n", "\n".join(page) + "\n"


def _digest(alert: Alert, topic: str) -> tuple[str, str, str]:
    """One entry per article; copies of it (grouped again here) listed under it."""
    count = len(alert.items)
    subject = f"{topic}: riepilogo, {count} nuov{'a uscita' if count == 1 else 'e uscite'}"
    text = [f"{count} nuov{'a uscita cita' if count == 1 else 'e uscite citano'} {topic}."]
    page = [f"<p>{_esc(text[0])}</p>", "<ol>"]
    for group in group_copies(alert.items):
        main, copies = group[0], group[1:]
        a = main.article
        facts = ", ".join(value for _, value in _facts(main))
        text += ["", f"- {_line(a.title) or UNTITLED}", f"  {facts}", f"  {a.url}"]
        text += [f"  Anche su {_line(c.article.outlet)}: {c.article.url}" for c in copies]
        also = "".join(
            f"<br>Anche su {_esc(_line(c.article.outlet))}: {_link(c.article.url, c.article.url)}"
            for c in copies
        )
        page.append(
            f"<li>{_link(a.url, _line(a.title) or UNTITLED)}<br>{_esc(facts)}"
            f"<br>{_link(a.url, a.url)}{also}</li>"
        )
    page.append("</ol>")
    return subject, "\n".join(text) + "\n", "\n".join(page) + "\n"


def _facts(item: StoredItem) -> list[tuple[str, str]]:
    """The labelled facts known for an item, in the order a press officer reads them."""
    a = item.article
    facts = [("Testata", _line(a.outlet))]
    if a.date:
        facts.append(("Data", italian_date(a.date)))
    if a.city:
        facts.append(("Città", _line(a.city)))
    facts.append(("Categoria", CATEGORIES.get(a.category, _line(a.category))))
    if a.journalist:
        facts.append(("Giornalista", _line(a.journalist)))
    return facts


def _list(entries: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{entry}</li>" for entry in entries) + "</ul>"


def _link(url: str, label: str) -> str:
    """An escaped link; a crawled ``javascript:`` or ``data:`` address is shown, not linked."""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{_esc(url)}">{_esc(label)}</a>'
    return _esc(label) if label == url else f"{_esc(label)} ({_esc(url)})"


def _line(value: str | None) -> str:
    """A crawled string on one line: newlines in a headline would break a subject."""
    return " ".join((value or "").split())


def _esc(value: str) -> str:
    return html.escape(value, quote=True)
