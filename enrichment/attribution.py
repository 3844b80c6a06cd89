"""The original publisher named on an aggregator page.

Portals such as Virgilio notizie locali, Zazoom, Informazione.it and Liguria24 republish a
teaser with a credit line and a link to the original; the rassegna labels the item
"<portal> – <original brand>". The credit takes a few shapes: a link marked
``rel="original"`` or ``rel="source"``, an element whose class says source/fonte/origin, or
a sentence such as "Fonte: Genova 24", "Leggi l'articolo completo su Cronaca Torino",
"Articolo di Trieste Cafè". The brand is returned as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from enrichment.layout import class_parts
from enrichment.metadata import absolute_http_url

_LABEL = re.compile(
    r"(?:\bfonte\s*:\s*|\bsource\s*:\s*"
    r"|\bleggi\s+(?:l['’]\s*articolo|l['’]intero\s+articolo|la\s+notizia|la\s+news|tutto)"
    r"(?:\s+(?:completo|completa|integrale|originale))?\s+(?:su|da|in)\s+"
    r"|\barticolo\s+(?:di|da|tratto\s+da)\s+|\bpubblicato\s+(?:su|da)\s+)",
    re.IGNORECASE,
)
_BRAND_END = re.compile(r"\s*(?:[|•·\n»>]|\s[-–—]\s|\.\s|\.$|\(|$)")
_CLASS_PARTS = ("source", "fonte", "origin", "attribution", "provenienza")
_MAX_BRAND = 60
_MAX_WORDS = 8
_TEXT_NODES = (
    ".//text()[contains(., 'onte') or contains(., 'ONTE') or contains(., 'eggi')"
    " or contains(., 'EGGI') or contains(., 'rticolo') or contains(., 'RTICOLO')"
    " or contains(., 'ource') or contains(., 'ubblicato')]"
)


@dataclass(frozen=True)
class Attribution:
    """The original brand as printed, and the link to the original article."""

    brand: str | None = None
    url: str | None = None


def find_attribution(scopes: list[HtmlElement], page_url: str) -> Attribution:
    """Return the credit line found first in the narrowest scope that has one."""
    for scope in scopes:
        for finder in (_by_rel, _by_class, _by_text):
            found = finder(scope, page_url)
            if found is not None and found.brand:
                return found
    return Attribution()


def _by_rel(scope: HtmlElement, page_url: str) -> Attribution | None:
    """A link marked as the original or source of the item."""
    for link in scope.iter("a"):
        rel = (link.get("rel") or "").lower().split()
        if "original" in rel or "source" in rel:
            brand = _brand(link.text_content()) or _labelled(_text_of(link.getparent()))
            return Attribution(brand=brand, url=absolute_http_url(page_url, link.get("href")))
    return None


def _by_class(scope: HtmlElement, page_url: str) -> Attribution | None:
    """An element whose class names it the source ("fonte", "article__source")."""
    for element in scope.iter():
        if not isinstance(element.tag, str) or element.tag in ("source", "script", "style"):
            continue
        if not any(part.startswith(_CLASS_PARTS) for part in class_parts(element)):
            continue
        text = _text_of(element)
        if not text or len(text) > 4 * _MAX_BRAND:
            continue
        brand = _labelled(text) or _brand(text)
        if brand:
            return Attribution(brand=brand, url=_link_near(element, page_url))
    return None


def _by_text(scope: HtmlElement, page_url: str) -> Attribution | None:
    """A credit sentence in the text ("Fonte: Genova 24", "Leggi la notizia su X")."""
    for node in scope.xpath(_TEXT_NODES):
        element = node.getparent()
        if element is None:
            continue
        if node.is_tail and element.getparent() is not None:
            element = element.getparent()
        text = _text_of(element)
        if len(text) > 8 * _MAX_BRAND:
            text = str(node)
        brand = _labelled(text)
        if brand:
            return Attribution(brand=brand, url=_link_near(element, page_url))
    return None


def _labelled(text: str) -> str | None:
    """Return the brand after a credit label in ``text``, if there is one."""
    match = _LABEL.search(text)
    if match is None:
        return None
    return _brand(text[match.end() :])


def _brand(text: str) -> str | None:
    """Cut a brand name out of the text that follows a label."""
    text = " ".join(text.split())
    end = _BRAND_END.search(text)
    brand = text[: end.start()] if end else text
    brand = brand.strip(" \"'“”«»:,;")
    if not brand or len(brand) > _MAX_BRAND or len(brand.split()) > _MAX_WORDS:
        return None
    if brand.lower().startswith(("http://", "https://", "www.")) and "/" in brand[8:]:
        return None
    return brand


def _link_near(element: HtmlElement, page_url: str) -> str | None:
    """Return the link of a credit: the enclosing link, else the first external link inside."""
    ancestor: HtmlElement | None = element
    while ancestor is not None:
        if ancestor.tag == "a" and ancestor.get("href"):
            return absolute_http_url(page_url, ancestor.get("href"))
        ancestor = ancestor.getparent()
    own_host = urlsplit(page_url).hostname
    fallback = None
    for link in element.iter("a"):
        url = absolute_http_url(page_url, link.get("href"))
        if url is None:
            continue
        if urlsplit(url).hostname != own_host:
            return url
        fallback = fallback or url
    return fallback


def _text_of(element: HtmlElement | None) -> str:
    """Return an element's text with whitespace collapsed ('' for ``None``)."""
    if element is None:
        return ""
    return " ".join(element.text_content().split())
