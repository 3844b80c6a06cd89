"""The byline as the page prints it ("di Giuseppe Di Meo", "By Alice Gipponi", "Redazione").

Metadata authors are often a CMS account ("admin", "redazione2") or lose the printed form;
the visible byline is what the rassegna's "Giornalista" column is read from. Turning it into
"G. Di Meo" is done later, by the journalist step; here it is kept as printed, minus the
date, comment count or separators that templates put on the same line.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from enrichment.dates import parse_italian_date

_CANDIDATES = (
    ".//*[@itemprop='author' or contains(concat(' ', normalize-space(@rel), ' '), ' author ')"
    " or contains(translate(@class, 'ABDEFHILMNORTUY', 'abdefhilmnortuy'), 'author')"
    " or contains(translate(@class, 'ABDEFHILMNORTUY', 'abdefhilmnortuy'), 'byline')"
    " or contains(translate(@class, 'ABDEFHILMNORTUY', 'abdefhilmnortuy'), 'autore')"
    " or contains(translate(@class, 'ABDEFHILMNORTUY', 'abdefhilmnortuy'), 'firma')"
    " or contains(translate(@id, 'ABDEFHILMNORTUY', 'abdefhilmnortuy'), 'author')"
    " or contains(translate(@id, 'ABDEFHILMNORTUY', 'abdefhilmnortuy'), 'byline')]"
)
_NOT_BYLINE_CLASS = re.compile(
    r"avatar|\bbio|biograph|about|description|photo|comment|social|share|follow|count",
    re.IGNORECASE,
)
"""Author-related elements that are not the byline: pictures, bios, counters, buttons."""
_PREFIXES = re.compile(
    r"^(?:di|da|by|von|a\s+cura\s+di|scritto\s+da|testo\s+di|servizio\s+di|autore:?|firma:?)$",
    re.IGNORECASE,
)
_BYLINE_LINE = re.compile(
    r"^(?i:di|by|von|a\s+cura\s+di|scritto\s+da|testo\s+di|servizio\s+di)\s+"
    r"[A-ZÀ-Ý][\w'’.-]*(?:\s+(?:[A-ZÀ-Ý][\w'’.-]*|d[aei]|de|del|della|van|von)){0,4}$"
)
"""An unmarked byline line: a prefix, then a capitalised name ("di Rocco Laurenzana")."""
_LINE_TAGS = ("p", "div", "span", "em", "i", "b", "strong", "address")
_CUT = re.compile(r"\s+[-–—|•·]\s+|\s+[-–—|•·]$|\s*\|\s*|\n|\s{3,}")
_MAX_LENGTH = 80
_DANGLING = re.compile(r"(?:\s+(?:il|del|in\s+data|pubblicato|aggiornato|on|am))+$", re.IGNORECASE)
"""Words left hanging once the date is cut off ("Redazione il", "Mario Rossi pubblicato")."""


def find_byline(scope: HtmlElement) -> str | None:
    """Return the first plausible printed byline inside the article scope.

    Elements marked as the author (class, ``itemprop``, ``rel``) come first; failing those,
    a short unmarked line that reads like a byline ("<p><i>di Rocco Laurenzana</i></p>").
    """
    for element in scope.xpath(_CANDIDATES):
        if _hidden(element) or _NOT_BYLINE_CLASS.search(element.get("class") or ""):
            continue
        text = _printed(element)
        if text is None:
            continue
        parent = element.getparent()
        if parent is not None:
            text = _with_prefix(parent, text)
        return text
    for element in scope.iter(*_LINE_TAGS):
        if len(element) > 2:
            continue
        text = " ".join(element.text_content().split())
        if len(text) <= _MAX_LENGTH and _BYLINE_LINE.match(text):
            return text
    return None


def _printed(element: HtmlElement) -> str | None:
    """Return the element's text cut to the byline, or ``None`` if it is not one."""
    raw = element.text_content()
    if len(raw) > 4 * _MAX_LENGTH:
        return None
    text = _CUT.split(raw.strip(), maxsplit=1)[0]
    text = " ".join(text.split())
    date = parse_italian_date(text)
    if date is not None:
        text = _DANGLING.sub("", text.split(date[1])[0].strip(" ,-–|"))
    text = text.rstrip(" ,-–|:")
    if not 2 <= len(text) <= _MAX_LENGTH or not any(char.isalpha() for char in text):
        return None
    if _PREFIXES.match(text):
        return None
    return text


def _with_prefix(parent: HtmlElement, text: str) -> str:
    """Add the "di" / "By" that a template prints just before the name element."""
    around = " ".join(parent.text_content().split())
    if len(around) > len(text) + 25:
        return text
    before, found, _ = around.partition(text)
    before = before.strip()
    if found and before and _PREFIXES.match(before):
        return f"{before} {text}"
    return text


def _hidden(element: HtmlElement) -> bool:
    """Tell an element hidden with an inline style (microformat copies of the byline)."""
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or element.get("hidden") is not None
