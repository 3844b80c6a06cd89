"""Per-outlet corrections of extraction, for quirks no general rule should absorb.

General extraction (``enrichment.extract``) reads every page the same way. A few outlets
print something so peculiar that teaching the general rules about it would make them worse
for everyone else: Zazoom prints the original headline's commas as " | ", which every other
site uses to separate the headline from its own name. Such a quirk lives in one small module
named for the publisher, and runs after general extraction on that publisher's pages only.

A hook is a module with two names:

- ``HOSTS``: the hosts it serves, registrable domains such as ``"zazoom.it"``; a page of
  ``www.zazoom.it`` or ``notizie.zazoom.it`` is served too.
- ``fix(root, extracted)``: gets the page tree as fetched (parsed again from the raw HTML,
  before general extraction cut its boxes, so credits and source links are still there) and
  the ``Extracted`` record general extraction produced (the page address is
  ``extracted.url``); returns the corrected record built with ``dataclasses.replace``, or
  the record itself when nothing needs correcting. It never mutates either argument.

Bad page content (a partial page, a missing headline or link, odd markup) must never make a
hook raise: it returns the record unchanged. A programming error does raise, on purpose, so
tests see it instead of a silently uncorrected record.

To add a hook: write ``enrichment/publishers/<publisher>.py`` with ``HOSTS`` and ``fix``,
add the module to ``PUBLISHERS`` below, give it a fixture page in ``tests/fixtures/pages/``
and its own tests in ``tests/test_publishers.py``. The tests fail for a module in this
package that ``PUBLISHERS`` does not list, and for a host two modules claim.

Pages of every other host cost a host lookup in a dict: the page is parsed again only for
the hosts a hook serves.
"""

from __future__ import annotations

import logging
from typing import Protocol
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from enrichment.encoding import decode_html
from enrichment.publishers import zazoom
from enrichment.records import Extracted

logger = logging.getLogger(__name__)


class Publisher(Protocol):
    """What a hook module provides (see the package docstring)."""

    HOSTS: tuple[str, ...]

    def fix(self, root: HtmlElement, extracted: Extracted) -> Extracted:
        """Return ``extracted`` corrected for this publisher's quirk."""
        ...


PUBLISHERS: tuple[Publisher, ...] = (zazoom,)
"""Every hook module; a module not listed here is never run."""

_BY_HOST: dict[str, Publisher] = {
    host: publisher for publisher in PUBLISHERS for host in publisher.HOSTS
}


def publisher_for(url: str) -> Publisher | None:
    """Return the hook serving the page's host or one of its parent domains, if any."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    while host:
        publisher = _BY_HOST.get(host)
        if publisher is not None:
            return publisher
        host = host.partition(".")[2]
    return None


def apply_publisher_hook(
    extracted: Extracted, html: bytes | str, encoding: str | None
) -> Extracted:
    """Correct the record with the hook serving its page, if one does.

    ``html`` and ``encoding`` are what ``extract_page`` was given: the hook needs the page as
    fetched, and parsing it again for the few served pages is cheaper than keeping an
    unpruned copy of every page's tree.
    """
    publisher = publisher_for(extracted.url)
    if publisher is None:
        return extracted
    root = _tree(html, encoding)
    if root is None:
        return extracted
    return publisher.fix(root, extracted)


def _tree(html: bytes | str, encoding: str | None) -> HtmlElement | None:
    """Parse the page as fetched; ``None`` when lxml cannot make a tree of it."""
    text = decode_html(html, encoding)
    try:
        root = document_fromstring(
            text.encode("utf-8", "ignore"),
            parser=HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True),
        )
    except (etree.ParserError, ValueError) as error:
        logger.debug("publisher hook skipped, unparsable page: %s", error)
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root
