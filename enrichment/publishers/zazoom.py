"""Zazoom: headlines reprinted with the original's commas as " | ".

Zazoom republishes local news under a credit ("Fonte : casertanotizie") and a link to the
original ("Leggi la notizia su casertanotizie"). It prints the original headline with each
comma turned into " | " ("Migranti | a Caserta il progetto LgNet2 con fondi europei"), in
``<title>``, og:title and ``<h1>`` alike. Everywhere else " | " separates a headline from the
site's name, so general title cleaning either keeps the pipes or cuts the headline at one,
and neither can be taught otherwise without breaking every other site.

The printed headline is found again on the page (the general title may be only a piece of
it). When the link to the original carries the original headline (its ``title``
attribute, its text, or a headline quoted beside it) with the same words, that headline
wins: it has the original's punctuation, where a pipe may also have stood for something
other than a comma. Otherwise the commas are put back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from lxml.html import HtmlElement

from enrichment.layout import normalised
from enrichment.metadata import absolute_http_url
from enrichment.records import Extracted
from enrichment.titles import strip_site_name

HOSTS: tuple[str, ...] = ("zazoom.it",)

_SITE_NAME = "Zazoom"
_PIPE = re.compile(r"\s*\|\s*")
_QUOTED = re.compile(r"«([^«»]+)»|“([^“”]+)”|\"([^\"]+)\"")


def fix(root: HtmlElement, extracted: Extracted) -> Extracted:
    """Give the record the original headline, and Zazoom's name if a headline piece took it."""
    printed = _printed_headline(root, extracted.title)
    if printed is None:
        return extracted
    title = _linked_headline(root, extracted, printed) or ", ".join(
        part for part in _PIPE.split(printed) if part
    )
    site_name = extracted.site_name
    if site_name is not None and normalised(site_name) in normalised(printed):
        # The cut-off piece of the headline was taken for the site's name.
        site_name = _SITE_NAME
    return replace(extracted, title=title, site_name=site_name)


def _printed_headline(root: HtmlElement, title: str | None) -> str | None:
    """Return the headline as Zazoom printed it, pipes included, without its own name.

    Only a headline with a pipe that contains the extracted title counts, so a page without
    the quirk, or a pipe in a box beside the article, changes nothing.
    """
    known = {normalised(_SITE_NAME)}
    wanted = normalised(title or "")
    for candidate in _headline_candidates(root):
        text = strip_site_name(" ".join(candidate.split()), known)
        if "|" in text and normalised(text) and wanted in normalised(text):
            return text
    return None


def _headline_candidates(root: HtmlElement) -> Iterator[str]:
    """og:title, the ``<h1>`` elements, then ``<title>``: where Zazoom prints the headline."""
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:title":
            yield meta.get("content") or ""
    for heading in root.iter("h1"):
        yield heading.text_content()
    title = root.find("head/title")
    if title is not None:
        yield title.text_content()


def _linked_headline(root: HtmlElement, extracted: Extracted, printed: str) -> str | None:
    """Return the original headline carried by a link to the original, if one carries it."""
    if extracted.attribution_url is None:
        return None
    wanted = normalised(printed)
    for link in root.iter("a"):
        if absolute_http_url(extracted.url, link.get("href")) != extracted.attribution_url:
            continue
        for candidate in _link_texts(link):
            text = " ".join(candidate.split())
            if normalised(text) == wanted:
                return text
    return None


def _link_texts(link: HtmlElement) -> Iterator[str]:
    """What may hold the original headline: the title attribute, the text, quotes beside."""
    yield link.get("title") or ""
    yield link.text_content()
    parent = link.getparent()
    if parent is not None:
        for match in _QUOTED.finditer(parent.text_content()):
            yield next(group for group in match.groups() if group is not None)
