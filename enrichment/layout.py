"""Where the article is on a page, and which boxes around it are not the article.

Topic matching counts words in the main text, so a "Più letti" sidebar or a comment that
names the project would create a false mention. trafilatura drops most English-named boxes;
this module adds what Italian templates call them ("correlati", "più letti", "altre notizie",
"colonna destra", "piede") and boxes recognisable only by their heading. Nothing that
contains the headline or the article body is ever removed, so an over-eager class name on a
wrapper cannot cost the article.

The same regions serve the byline, visible date and attribution lookups, which must not read
a date or a name from a related-articles list.

Furniture with no element to recognise it by reaches the text as lines: skip links, share
buttons, reading times ("Lesedauer: 3 Minuten"), breadcrumbs and section kickers.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

_BOX_TAGS = frozenset({"nav", "aside", "footer", "dialog", "menu", "noscript"})

# Parts of a class or id (split on "-", "_", space, "__") that mark a box. A part must start
# with one of these words; _WHOLE_PART words must be the whole part ("social" must not hit
# "category-sociale", "ads" must not hit "adsense-free").
_PART_PREFIXES = (
    "sidebar",
    "widget",
    "related",
    "correlat",
    "piuletti",
    "mostread",
    "popular",
    "comment",
    "commenti",
    "disqus",
    "respond",
    "cookie",
    "consent",
    "gdpr",
    "cmplz",
    "iubenda",
    "newsletter",
    "sharing",
    "sharer",
    "breadcrumb",
    "navbar",
    "navigation",
    "advert",
    "banner",
    "altrenotizie",
    "altriarticoli",
    "leggianche",
    "trending",
    "evidenza",
    "prevnext",
    "laterale",
    "footer",
    "piede",
    "ultimaora",
    "ultimenotizie",
    "tags",
)
_WHOLE_PARTS = frozenset(
    {
        "nav",
        "menu",
        "share",
        "social",
        "ads",
        "adv",
        "ad",
        "aside",
        "tag",
        "topbar",
        "masthead",
        "authorbox",
        "aboutauthor",
        "pagination",
    }
)
_PART_SPLIT = re.compile(r"[_\-]+")
_NOT_ALNUM = re.compile(r"[\W_]+")  # what str.isalnum() refuses, underscore included
_IGNORED_CLASS = (
    "tag-",
    "category-",
    "categoria-",
    "no-",
    "has-",
    "with-",
    "without-",
    "is-",
    "hide-",
    "show-",
    "enable-",
    "disable-",
    "elementor-widget",
)
"""Class tokens that describe rather than name an element: WordPress adds one per tag and
category of a post ("tag-social-housing"), themes flag options on the article wrapper
("no-share", "has-sidebar", "with-avatars"), and Elementor calls every block a widget,
the post body and its date line included. None of them makes an element a box."""
_NEVER_REMOVED = frozenset({"html", "head", "body"})
_COMPOUND_HINTS = frozenset(
    {
        ("piu", "letti"),
        ("most", "read"),
        ("altre", "notizie"),
        ("altri", "articoli"),
        ("leggi", "anche"),
        ("ultima", "ora"),
        ("ultime", "notizie"),
        ("prev", "next"),
        ("author", "box"),
        ("about", "author"),
        ("in", "evidenza"),
        ("col", "right"),
        ("col", "dx"),
        ("colonna", "destra"),
        ("colonna", "dx"),
        ("column", "right"),
    }
)

_BOX_HEADING_WORDS = (
    r"(?:(?:i|le)\s+)?(?:più|piu)\s+(?:letti|lette|visti|popolari|commentati)"
    r"|(?:articoli|notizie|post)\s+correlat\w*|(?:altre|ultime)\s+notizie|altri\s+articoli"
    r"|(?:leggi|guarda|vedi)\s+anche"
    r"|(?:ti\s+)?potrebbe(?:ro)?\s+(?:anche\s+)?interessar(?:e|ti)(?:\s+anche)?"
    r"|potrebbe\s+piacerti|da\s+non\s+perdere|in\s+evidenza|ultima\s+ora"
    r"|ultimi\s+(?:video|comunicati|articoli)|newsletter|seguici|lascia\s+un\s+commento"
    r"|(?:\d+|un|nessun)\s+comment[oi]|commenti|related(?:\s+posts?)?|more\s+from"
    r"|das\s+könnte\s+sie\s+auch\s+interessieren|meistgelesen|trend|tag"
)
_BOX_HEADINGS = re.compile(rf"^(?:{_BOX_HEADING_WORDS})\b", re.IGNORECASE)
"""A real heading (``<h2>``-``<h6>``) that opens a box: "I più letti della settimana"."""
_BOX_LABELS = re.compile(rf"^(?:{_BOX_HEADING_WORDS})\s*[:.]?$", re.IGNORECASE)
"""A bare label element ("<strong>Leggi anche:</strong>"): the whole text must be the label,
so a short paragraph that merely starts with "Commenti" stays."""
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
_SKIP_LINK = re.compile(
    r"^(?:direkt\s+zum\s+inhalt|zum\s+inhalt\s+springen|zum\s+hauptinhalt"
    r"|(?:vai|salta|passa)\s+al\s+contenuto(?:\s+principale)?|skip\s+to\s+(?:main\s+)?content)$",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"^(?:(?:lesedauer|lesezeit|tempo\s+(?:di|stimato\s+di)\s+lettura|lettura|reading\s+time)"
    r"\s*:?\s*(?:ca\.\s*|circa\s+)?\d+\s*min\w*\.?"
    r"|\d+\s*min\w*\.?\s+(?:di\s+lettura|read|lesezeit|lesen))$",
    re.IGNORECASE,
)
_SHARE_ROW = re.compile(
    r"^(?:(?:teilen|drucken|condividi|stampa|share|print|facebook|whatsapp|twitter|x|telegram"
    r"|linkedin|pinterest|e-?mail|mail|link|copia|kopieren|su|auf|on|via|per|il|den)[\s,|]*)+$",
    re.IGNORECASE,
)
"""A row of share and print buttons: a line made of nothing but their words."""
_SHARE_VERB = re.compile(r"\b(?:teilen|drucken|condividi|stampa|share|print)\b", re.IGNORECASE)
_CRUMB_SEPARATOR = re.compile(r"\s+[›»>→/]\s+")
_HOME_CRUMBS = frozenset({"home", "homepage", "startseite", "start"})
_CRUMB_WORDS = 4
_LABEL_WORDS = 3
_LABEL_CHARS = 30
_SENTENCE_MARK = re.compile(r"[\d.,!?:;»\"”)]")
_LOGO_HINT = re.compile(r"logo|site-?title|brand|masthead", re.IGNORECASE)
_MIN_BLOCK_TEXT = 80
_BOX_WEIGHT = 0.2


@dataclass(frozen=True)
class Regions:
    """The parts of a page the lookups care about."""

    heading: HtmlElement | None
    """The article's headline element (an ``<h1>`` that is not the site logo)."""
    body: HtmlElement | None
    """The block holding most of the article's paragraphs."""
    scope: HtmlElement
    """The smallest element holding both: headline, byline, date and text."""


def class_parts(element: HtmlElement) -> list[str]:
    """Return the lower-case parts of an element's class and id, for box and role tests."""
    attributes = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return [
        part
        for token in attributes
        if not token.startswith(_IGNORED_CLASS)
        for part in _PART_SPLIT.split(token)
        if part
    ]


def is_box(element: HtmlElement) -> bool:
    """Tell whether an element is navigation, a sidebar, a related list, comments or a banner."""
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag in _NEVER_REMOVED:
        return False
    if tag in _BOX_TAGS:
        return True
    parts = class_parts(element)
    if not parts:
        return False
    for part in parts:
        if part in _WHOLE_PARTS or part.startswith(_PART_PREFIXES):
            return True
    return not _COMPOUND_HINTS.isdisjoint(pairwise(parts))


def find_regions(root: HtmlElement, title_hints: list[str]) -> Regions:
    """Locate headline, article body and their common scope.

    ``title_hints`` (og:title, JSON-LD headline) pick the right ``<h1>`` when a template has
    several (logo, headline, a related item).
    """
    body_element = root.find("body")
    page = body_element if body_element is not None else root
    heading = _find_heading(page, title_hints)
    text_block = _find_text_block(page)
    scope = page
    if heading is not None and text_block is not None:
        common = _common_ancestor(heading, text_block)
        scope = common if common is not None else page
    elif text_block is not None:
        scope = text_block
    return Regions(heading=heading, body=text_block, scope=scope)


def remove_boxes(root: HtmlElement, regions: Regions) -> int:
    """Remove boilerplate boxes in place, keeping anything that holds the article.

    Returns how many boxes were removed (logged, and useful in tests).
    """
    protected = _ancestors_or_self(regions.heading) | _ancestors_or_self(regions.body)
    doomed: list[HtmlElement] = []
    pending = [root]
    while pending:
        # Depth-first, not descending into a box: a sidebar of thousands of links is one test.
        for child in pending.pop():
            if not isinstance(child.tag, str):
                continue
            if child not in protected and is_box(child):
                doomed.append(child)
            else:
                pending.append(child)
    if regions.body is not None:
        # Without a located article, a heading-led box could be the page's main column.
        doomed.extend(_boxes_by_heading(root, protected))
    removed = 0
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        _drop_keeping_tail(element)
        removed += 1
    logger.debug("removed %d boilerplate boxes", removed)
    return removed


def unwrap_layout_tables(root: HtmlElement) -> None:
    """Turn tables used for page layout into plain blocks.

    Old CMSs lay out the whole page in ``<table>`` cells; text extractors then either drop
    the article with the table or print it as table rows. A table whose cells hold
    paragraphs, headings or other tables is layout, not data.
    """
    for table in root.xpath("//table[.//p or .//h1 or .//h2 or .//div or .//table]"):
        for element in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
            element.tag = "div"
            for attribute in ("width", "align", "valign", "colspan", "rowspan", "cellpadding"):
                element.attrib.pop(attribute, None)


@functools.lru_cache(maxsize=4096)
def normalised(text: str) -> str:
    """Fold case, accents, punctuation: two spellings compare equal (cached: hot per page)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def is_page_chrome(line: str) -> bool:
    """Tell a skip link, a reading time or a row of share buttons: never article text."""
    if _SKIP_LINK.match(line) or _READING_TIME.match(line):
        return True
    return bool(_SHARE_ROW.match(line) and _SHARE_VERB.search(line))


def is_header_label(line: str) -> bool:
    """Tell a breadcrumb ("Startseite › Lokales › Meran") or a section kicker ("Il caso").

    Only meaningful above the text: further down a short line may be a subheading.
    """
    crumbs = _CRUMB_SEPARATOR.split(line)
    if len(crumbs) >= 2 and all(
        crumb and len(crumb.split()) <= _CRUMB_WORDS and not _SENTENCE_MARK.search(crumb)
        for crumb in crumbs[:-1]
    ):
        return len(crumbs) >= 3 or crumbs[0].casefold() in _HOME_CRUMBS
    return (
        len(line) <= _LABEL_CHARS
        and len(line.split()) <= _LABEL_WORDS
        and not _SENTENCE_MARK.search(line)
    )


def _find_heading(page: HtmlElement, title_hints: list[str]) -> HtmlElement | None:
    """Pick the headline: the ``<h1>`` (or ``<h2>``, on templates that keep ``<h1>`` for the
    logo) matching a title hint, else the first ``<h1>`` that is not the logo."""
    wanted = {normalised(hint) for hint in title_hints if hint}
    wanted.discard("")
    fallback = None
    for heading in page.iter("h1", "h2"):
        text = normalised(heading.text_content())
        if not text:
            continue
        if wanted and any(text == hint or (len(text) > 20 and text in hint) for hint in wanted):
            return heading
        if fallback is None and heading.tag == "h1" and not _looks_like_logo(heading):
            fallback = heading
    return fallback


def _looks_like_logo(heading: HtmlElement) -> bool:
    """Tell a site-name ``<h1>`` in the masthead from a headline."""
    element: HtmlElement | None = heading
    for _ in range(3):
        if element is None:
            break
        if _LOGO_HINT.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
        element = element.getparent()
    return False


def _find_text_block(page: HtmlElement) -> HtmlElement | None:
    """Return the element whose own paragraphs and text hold the most article-like text.

    Text inside boxes counts for a fifth only, so a related list with excerpts cannot
    outweigh a short article (an aggregator teaser is often one paragraph), while an article
    wrapper whose class looks like a box ("entry-content no-share") still wins on length.
    """
    scores: dict[HtmlElement, float] = defaultdict(float)
    box_cache: dict[HtmlElement, bool] = {}
    for paragraph in page.iter("p"):
        parent = paragraph.getparent()
        if parent is None:
            continue
        weight = _BOX_WEIGHT if _inside_box(paragraph, box_cache) else 1.0
        scores[parent] += weight * len(paragraph.text_content().strip())
    for block in page.iter("div", "td", "section", "article"):
        own = len((block.text or "").strip()) + sum(
            len((child.tail or "").strip()) for child in block
        )
        if own >= _MIN_BLOCK_TEXT:
            weight = _BOX_WEIGHT if _inside_box(block, box_cache) else 1.0
            scores[block] += weight * own
    if not scores:
        return None
    best, score = max(scores.items(), key=lambda item: item[1])
    return best if score >= _MIN_BLOCK_TEXT * _BOX_WEIGHT else None


def _inside_box(element: HtmlElement, cache: dict[HtmlElement, bool]) -> bool:
    """Tell whether an element or any ancestor is a box, memoising along the path."""
    path: list[HtmlElement] = []
    current: HtmlElement | None = element
    result = False
    while current is not None:
        if current in cache:
            result = cache[current]
            break
        path.append(current)
        if is_box(current):
            result = True
            break
        current = current.getparent()
    for visited in path:
        cache[visited] = result
    return result


def _boxes_by_heading(root: HtmlElement, protected: set[HtmlElement]) -> list[HtmlElement]:
    """Find boxes with no telling class, by their heading ("Più letti", "Leggi anche")."""
    boxes = []
    for heading in root.iter(*_HEADING_TAGS, "b", "strong", "span", "div", "p"):
        if heading.tag in _HEADING_TAGS:
            text = heading.text_content().strip()
            pattern = _BOX_HEADINGS
        elif len(heading):
            # A generic element counts as a heading only when it is a bare label.
            continue
        else:
            text = (heading.text or "").strip()
            pattern = _BOX_LABELS
        if not text or len(text) > 60 or not pattern.match(text):
            continue
        box = heading.getparent()
        while box is not None and len(box) == 1 and not (box.text or "").strip():
            # The heading's wrapper holds nothing else: the box is further up.
            box = box.getparent()
        if box is None or box in protected or box.tag in ("body", "html"):
            continue
        boxes.append(box)
    return boxes


def _ancestors_or_self(element: HtmlElement | None) -> set[HtmlElement]:
    """Return the element and every ancestor, the set that pruning must not touch."""
    result: set[HtmlElement] = set()
    while element is not None:
        result.add(element)
        element = element.getparent()
    return result


def _common_ancestor(first: HtmlElement, second: HtmlElement) -> HtmlElement | None:
    """Return the lowest element containing both."""
    ancestors = _ancestors_or_self(first)
    element: HtmlElement | None = second
    while element is not None:
        if element in ancestors:
            return element
        element = element.getparent()
    return None


def _drop_keeping_tail(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it in its parent."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
