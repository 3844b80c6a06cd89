"""The byline as the page prints it ("di Giuseppe Di Meo", "By Alice Gipponi", "Redazione").

Metadata authors are often a CMS account ("admin", "redazione2") or lose the printed form;
the visible byline is what the rassegna's "Giornalista" column is read from. Turning it into
"G. Di Meo" is done later, by the journalist step; here it is kept as printed, minus the
date, comment count or separators that templates put on the same line.

Text is read element by element, with a space at each element boundary: templates put the
name and the date in adjacent elements with no whitespace between them
(``<a>Mario Rossi</a><time>3 giorni fa</time>``), and ``text_content()`` would make one word
of the surname and the next label.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from enrichment.dates import DATE_LABELS, RELATIVE_DATE, parse_italian_date
from enrichment.journalist import format_journalist
from enrichment.layout import class_parts

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
_DANGLING = re.compile(
    rf"(?:\s+(?:il|del|in\s+data|alle|ore|{'|'.join(DATE_LABELS)}|on|am|um))+$",
    re.IGNORECASE,
)
"""Words left hanging once the date is cut off ("Redazione il", "Mario Rossi pubblicato"),
or printed as a label in the element after the name ("Mario Rossi Aggiornato")."""
_META_LINE_PARTS = ("meta", "info", "detail", "dati", "date", "data", "time")
"""Class or id parts of the line that holds the date under a headline ("post-meta")."""
_META_LINE_MAX = 120
_ARTICLE_PARAGRAPH = 100
"""A paragraph this long is article text: the header, and its meta line, are above it."""
_SHOUTED_NAME = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý'’.-]*(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý'’.-]*){1,3}")
_NOT_A_NAME_START = frozenset({"san", "sant'", "sant’", "santa", "porto", "reggio", "castel"})
"""First words of two-word places printed in capitals beside a date ("SAN SEVERO")."""


def find_byline(scope: HtmlElement) -> str | None:
    """Return the first plausible printed byline inside the article scope.

    Elements marked as the author (class, ``itemprop``, ``rel``) come first; failing those,
    a short unmarked line that reads like a byline ("<p><i>di Rocco Laurenzana</i></p>"),
    then a name in capitals in the header's date line ("MARIA BIANCHI 24 novembre 2023").
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
        text = " ".join(_words(element).split())
        if len(text) <= _MAX_LENGTH and _BYLINE_LINE.match(text):
            return text
    return _shouted_in_meta_line(scope)


def _words(element: HtmlElement) -> str:
    """Return the element's text with a space at every element boundary.

    A space is added only where the markup has none, so the template's own spacing, which
    ``_CUT`` reads as a separator ("Redazione   12 ottobre"), is left as it was.
    """
    text = ""
    for chunk in element.itertext():
        if text and chunk and not text[-1].isspace() and not chunk[0].isspace():
            text += " "
        text += chunk
    return text


def _printed(element: HtmlElement) -> str | None:
    """Return the element's text cut to the byline, or ``None`` if it is not one."""
    raw = _words(element)
    if len(raw) > 4 * _MAX_LENGTH:
        return None
    text = _CUT.split(raw.strip(), maxsplit=1)[0]
    text = " ".join(text.split())
    date = parse_italian_date(text)
    if date is not None:
        text = text.split(date[1])[0].strip(" ,-–|")
    relative = RELATIVE_DATE.search(text)
    if relative is not None:
        text = text[: relative.start()]
    text = _DANGLING.sub("", text.strip(" ,-–|")).rstrip(" ,-–|:")
    if not 2 <= len(text) <= _MAX_LENGTH or not any(char.isalpha() for char in text):
        return None
    if _PREFIXES.match(text):
        return None
    return text


def _with_prefix(parent: HtmlElement, text: str) -> str:
    """Add the "di" / "By" that a template prints just before the name element."""
    around = " ".join(_words(parent).split())
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


def _shouted_in_meta_line(scope: HtmlElement) -> str | None:
    """Return a name in capitals printed beside the date in the header ("GIULIA VERDI -
    24/11/2023"), with no "di" before it.

    Only the date line above the first paragraph is read: elsewhere a phrase in capitals is a
    kicker, a section or emphasis, never a byline.
    """
    for element in scope.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "p" and len(element.text_content().strip()) >= _ARTICLE_PARAGRAPH:
            return None
        if not any(part.startswith(_META_LINE_PARTS) for part in class_parts(element)):
            continue
        line = " ".join(_words(element).split())
        date = parse_italian_date(line) if len(line) <= _META_LINE_MAX else None
        if date is None:
            continue
        leaves = [" ".join(_words(child).split()) for child in element.iter() if len(child) == 0]
        for piece in (*leaves, *_CUT.split(line), line.partition(date[1])[0]):
            if _is_shouted_name(piece.strip(" ,")):
                return piece.strip(" ,")
    return None


def _is_shouted_name(text: str) -> bool:
    """Tell "MARIA BIANCHI" from "SAN SEVERO", "CRONACA LOCALE" or "AGGIORNATO IL"."""
    if not _SHOUTED_NAME.fullmatch(text):
        return False
    if text.split()[0].casefold() in _NOT_A_NAME_START:
        return False
    return format_journalist(text) is not None
