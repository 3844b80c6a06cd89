"""From a fetched page to an ``Extracted`` record: a plain function, no I/O.

The page is decoded and parsed once. The head is read first (meta tags, JSON-LD), then the
boxes around the article (navigation, "Più letti", related lists, comments, cookie banners)
are cut out of the tree, so the byline, date, credit and text lookups, and trafilatura
after them, see only the article. trafilatura gives the main text only: in its fast mode
(no second extraction by readability and jusText to compare with) and without its metadata
pass, which repeated what we read from the head and cost as much as the text itself. Our
own fallbacks (JSON-LD ``articleBody``, the located text block) stand in where it gives up.

Each field has an order of sources, most explicit first:

- date: JSON-LD ``datePublished``, then meta tags and microdata (the publisher's own
  statement, day kept as written), then htmldate's reading of the page (asked only when the
  metadata has no date), then a date printed near the headline or an agency dateline, then
  the URL. An htmldate date that merely repeats the URL counts as a URL date, so a printed
  date can correct it.
- title: the headline most sources agree on, site-name affixes removed.
- author: the printed byline, then JSON-LD, then meta ``author``.

A page that says it is a listing (JSON-LD ``CollectionPage``, a WordPress archive, search or
home page) has no article text: its teasers are other items. Bad content (empty, binary,
truncated, no ``<html>``) gives a record with empty text too; only programming errors raise.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from enrichment.attribution import find_attribution
from enrichment.byline import find_byline
from enrichment.dates import (
    date_from_url,
    normalise_machine_date,
    parse_italian_date,
    year_from_url,
)
from enrichment.encoding import decode_html
from enrichment.layout import (
    Regions,
    class_parts,
    find_regions,
    is_header_label,
    is_page_chrome,
    normalised,
    remove_boxes,
    unwrap_layout_tables,
)
from enrichment.metadata import PageMetadata, read_metadata
from enrichment.publishers import apply_publisher_hook
from enrichment.records import Extracted
from enrichment.titles import choose_headline

logger = logging.getLogger(__name__)

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]+")
"""NUL and friends: lxml refuses them, and HTML text never needs them."""
_BINARY_SAMPLE = 2048
_BINARY_RATIO = 0.1
_DATE_HINT_PARTS = ("date", "data", "time", "quando", "published", "pubblicat", "posted", "meta")
_DATE_ELEMENT_MAX = 120
_SCAN_LIMIT = 20_000
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NOT_TEXT_LINE = re.compile(
    r"^(?:leggi|guarda|vedi)\s+anche\b|^(?:ti\s+)?potrebbe(?:ro)?\s+(?:anche\s+)?interessar"
    r"|^leggi\s+(?:l['’]\s*articolo|l['’]intero|la\s+notizia|tutto)\b|^fonte\s*:",
    re.IGNORECASE,
)
"""Lines that are never article text: "Leggi anche" links and credits."""
_LEGAL_LINE = re.compile(
    r"\bp\.?\s?iva\b|\bpartita\s+iva\b|©|\bcopyright\s*(?:\(c\)|\d{4})"
    r"|tutti\s+i\s+diritti\s+riservati"
    r"|riproduzione\s+riservata",
    re.IGNORECASE,
)
"""The publisher's legal footer (VAT number, copyright), which templates without a footer
element print after the article; only trailing lines are checked."""
_HEADER_LINE_MAX = 160
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "with_metadata": False,
    "include_comments": False,
    "favor_precision": True,
    "fast": True,
    "include_images": False,
    "include_links": False,
}
"""How trafilatura is asked for the main text (see the module docstring); public so that the
benchmark measures trafilatura alone with the same options."""
_DATE_LINE_WORDS = 8


def extract_page(
    html: bytes | str,
    url: str,
    *,
    encoding: str | None = None,
    year_hint: int | None = None,
) -> Extracted:
    """Read one fetched page.

    ``encoding`` is the charset of the HTTP ``Content-Type`` header, if any. ``year_hint``
    gives agency datelines without a year ("TORINO, 18 OTT") their year; without it the
    year comes from the URL, then from the page, then is the most recent one that does not
    put the date in the future.
    """
    root = _parse(html, encoding)
    if root is None:
        return Extracted(url=url)
    metadata = read_metadata(root, url)
    jsonld = metadata.jsonld
    regions = find_regions(root, [jsonld.headline or "", metadata.og_title or ""])
    heading_text = regions.heading.text_content() if regions.heading is not None else None
    if year_hint is None:
        year_hint = (
            year_from_url(url) or year_from_url(metadata.canonical_url or "") or _page_year(root)
        )
    remove_boxes(root, regions)
    unwrap_layout_tables(root)
    scopes = _scopes(root, regions)

    byline = next(filter(None, map(find_byline, scopes)), None)
    visible_date = _visible_date(scopes, year_hint)
    attribution = find_attribution(scopes, url)
    document = _trafilatura(root, url)

    site_names = [name for name in (metadata.site_name, jsonld.publisher) if name]
    headline = choose_headline(
        [
            jsonld.headline,
            metadata.og_title,
            heading_text,
            metadata.twitter_title,
            metadata.html_title,
        ],
        site_names,
        url,
        heading=heading_text,
    )
    date, date_raw, date_source = _choose_date(metadata, root, visible_date, url)
    text = (
        ""
        if metadata.listing
        else _clean_text(
            _field(document, "text") or jsonld.body or _block_text(regions.body),
            [headline.title, metadata.description, jsonld.description, byline],
        )
    )
    extracted = Extracted(
        url=url,
        canonical_url=metadata.canonical_url,
        title=headline.title,
        text=text,
        description=metadata.description or jsonld.description,
        date=date,
        date_raw=date_raw,
        date_source=date_source,
        author_raw=byline or jsonld.author or metadata.author,
        site_name=metadata.site_name or jsonld.publisher or headline.site_name,
        language_declared=metadata.language,
        attribution=attribution.brand,
        attribution_url=attribution.url,
    )
    return apply_publisher_hook(extracted, html, encoding)


def _parse(html: bytes | str, encoding: str | None) -> HtmlElement | None:
    """Decode and parse the page; ``None`` when it is empty or not text at all."""
    if isinstance(html, bytes) and _looks_binary(html):
        logger.debug("binary content, nothing to extract")
        return None
    text = _CONTROL_CHARS.sub("", decode_html(html, encoding))
    if not text.strip():
        return None
    try:
        # A parser per call: lxml parsers must not be shared between threads, and one costs
        # microseconds.
        parser = HTMLParser(
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
            default_doctype=False,
        )
        root = document_fromstring(text.encode("utf-8", "ignore"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        logger.debug("unparsable page: %s", error)
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root


def _looks_binary(body: bytes) -> bool:
    """Tell an image, archive or other non-text body from a web page, on its first bytes."""
    sample = body[:_BINARY_SAMPLE]
    if not sample or sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return False
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return b"\x00" in sample or control / len(sample) > _BINARY_RATIO


def _page_year(root: HtmlElement) -> int | None:
    """Return the year printed most often on the page (copyright lines, other dates)."""
    body = root.find("body")
    if body is None:
        return None
    this_year = dt.date.today().year
    counts: Counter[int] = Counter()
    scanned = 0
    for chunk in body.itertext():
        scanned += len(chunk)
        for match in _YEAR.findall(chunk):
            year = int(match)
            if year <= this_year:
                counts[year] += 1
        if scanned > 4 * _SCAN_LIMIT and counts:
            break
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))


def _scopes(root: HtmlElement, regions: Regions) -> list[HtmlElement]:
    """Return where to look for page facts: the article scope first, then the whole body."""
    body = root.find("body")
    scopes = [regions.scope]
    if body is not None and body is not regions.scope:
        scopes.append(body)
    return scopes


def _visible_date(scopes: list[HtmlElement], year_hint: int | None) -> tuple[str, str] | None:
    """Find the date printed near the headline, else an agency dateline or date in the text."""
    for scope in scopes:
        for element in scope.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "time" and element.get("datetime"):
                iso = normalise_machine_date(element.get("datetime", ""))
                if iso:
                    return iso, element.get("datetime", "").strip()
            if not any(part.startswith(_DATE_HINT_PARTS) for part in class_parts(element)):
                continue
            text = " ".join(element.text_content().split())
            if text and len(text) <= _DATE_ELEMENT_MAX:
                found = parse_italian_date(text, year_hint=year_hint)
                if found:
                    return found
        text = " ".join(_limited_text(scope).split())
        found = parse_italian_date(text, year_hint=year_hint)
        if found:
            return found
    return None


def _limited_text(element: HtmlElement) -> str:
    """Return the first stretch of an element's text, enough to hold a date near the top."""
    chunks: list[str] = []
    size = 0
    for chunk in element.itertext():
        chunks.append(chunk)
        size += len(chunk)
        if size > _SCAN_LIMIT:
            break
    return " ".join(chunks)


def _trafilatura(root: HtmlElement, url: str) -> Any:
    """trafilatura's main text of the pruned tree (it works on its own copy)."""
    try:
        return trafilatura.bare_extraction(root, url=url, **TRAFILATURA_OPTIONS)
    except (ValueError, TypeError, etree.LxmlError) as error:
        logger.debug("trafilatura failed on %s: %s", url, error)
        return None


def _block_text(block: HtmlElement | None) -> str:
    """Return the paragraphs of the located text block, for pages trafilatura gives up on."""
    if block is None:
        return ""
    paragraphs = [" ".join(p.text_content().split()) for p in block.iter("p")]
    return "\n".join(filter(None, paragraphs)) or block.text_content()


def _field(document: Any, name: str) -> str | None:
    """Return a trimmed trafilatura field, ``None`` when absent or empty."""
    value = getattr(document, name, None) if document is not None else None
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _htmldate(root: HtmlElement, url: str) -> str | None:
    """htmldate's reading of the page (what trafilatura's metadata would give), asked only
    when the page states no date in its metadata: it is most of trafilatura's metadata cost."""
    try:
        return find_date(
            root,
            url=url,
            extensive_search=False,
            original_date=True,
            deferred_url_extractor=True,
        )
    except (ValueError, TypeError, etree.LxmlError) as error:
        logger.debug("htmldate failed on %s: %s", url, error)
        return None


def _choose_date(
    metadata: PageMetadata,
    root: HtmlElement,
    visible: tuple[str, str] | None,
    url: str,
) -> tuple[str | None, str | None, str | None]:
    """Return ``(date, raw, source)`` from the most explicit source that has a date."""
    if metadata.jsonld.date_published:
        iso = normalise_machine_date(metadata.jsonld.date_published)
        if iso:
            return iso, metadata.jsonld.date_published, "jsonld"
    for raw in metadata.published:
        iso = normalise_machine_date(raw)
        if iso:
            return iso, raw, "meta"
    url_dates = [
        found
        for address in (url, metadata.canonical_url)
        if address and (found := date_from_url(address)) is not None
    ]
    guessed = _htmldate(root, url)
    if guessed and all(guessed[:10] != iso for iso, _ in url_dates):
        # htmldate falls back on the URL; such a date is no better than the URL itself.
        iso = normalise_machine_date(guessed)
        if iso:
            return iso, guessed, "trafilatura"  # its date module: stored items keep the label
    if visible is not None:
        return visible[0], visible[1], "visible"
    if url_dates:
        return url_dates[0][0], url_dates[0][1], "url"
    return None, None, None


def _clean_text(text: str, header_lines: list[str | None]) -> str:
    """Drop what extraction keeps by mistake: repeated headline, "Leggi anche", credits.

    Lines equal to the headline, the summary or the byline, short date lines
    ("Pubblicato il 22/11/2023 da ..."), breadcrumbs and section kickers are header material
    only at the top; "Leggi anche", credit, share-button, skip-link and reading-time lines
    and the legal footer are never article text.
    """
    header = {normalised(line) for line in header_lines if line}
    header.discard("")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if not line:
            continue
        if not kept and (
            normalised(line) in header or _is_date_line(line) or is_header_label(line)
        ):
            continue
        if len(line) <= _HEADER_LINE_MAX and (_NOT_TEXT_LINE.match(line) or is_page_chrome(line)):
            continue
        kept.append(line)
    while kept and len(kept[-1]) <= _HEADER_LINE_MAX and _LEGAL_LINE.search(kept[-1]):
        kept.pop()
    return "\n".join(kept)


def _is_date_line(line: str) -> bool:
    """Tell a short "published on ... by ..." line from a paragraph that mentions a date."""
    if len(line) > _HEADER_LINE_MAX:
        return False
    found = parse_italian_date(line)
    if found is None:
        return False
    return len(line.replace(found[1], " ").split()) <= _DATE_LINE_WORDS
