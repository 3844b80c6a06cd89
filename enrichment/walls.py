"""Is this page a wall standing in for the article? Consent, cookie, pay and login pages.

Publishers answer a crawler without consent (or without a subscription) with a consent
manager's dialog, a bare cookie wall, a "consent or pay" choice, a subscriber login, or the
first lines of the article followed by a paywall box. Stored as the article, such a page
would print the wall's text in the rassegna and count the project named in its "recommended"
box as a mention (contract 7: a wall's text is never stored nor counted).

One word never decides: every page has a cookie banner in its chrome and a "Abbonati" link
in its menu, and articles talk about bus passes ("abbonamento"). A wall needs signals in
combination, always with the article body missing or cut short:

- the extracted main text holds little prose (lines that do not speak as a wall);
- and one of: a password form with login vocabulary (``login``); a phrase that says the rest
  is for subscribers, or a paywall box that speaks of subscribing (``pay``); or, with no
  article body at all, consent-manager markup or dense consent vocabulary (Italian, English,
  German) covering a large share of the visible page: ``pay`` when the page also offers a
  subscription ("consent or pay"), ``consent`` when a consent manager or its vocabulary of
  partners and purposes is there, else ``cookie``.

The check is pure and cheap: a page whose main text is a real article's length returns
before the HTML is even parsed a second time.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from enrichment.encoding import decode_html

CONSENT = "consent"
COOKIE = "cookie"
PAY = "pay"
LOGIN = "login"

MIN_PROSE = 200
"""Below this many characters of prose, the page may have no article body at all."""
MIN_BRIEF = 80
"""The shortest brief worth keeping (``enrichment.enrich.MIN_TEXT_CHARS``): less prose than
this, beside a wall, is the wall page's own chrome."""
TEASER_MAX = 1000
"""A paywalled article shows at most this much prose (headline lines and a teaser)."""
WALL_SHARE = 0.3
"""Share of the visible text that consent vocabulary must cover on a consent or cookie wall:
a banner in the chrome of a listing or video page covers far less."""
_SCAN_CHARS = 50_000
_LABEL_CHARS = 40
_FORM_LINE_CHARS = 200

_CONSENT_TERMS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bcookie",
        r"\bconsens|\bacconsent|\bconsent\b|einwilligung|zustimm",
        r"\baccett|\baccept|akzeptier",
        r"\brifiut|\breject|ablehn",
        r"\bpartner",
        r"\bfinalità|\bpurposes?\b|\bzwecke",
        r"\bpreferenz|\bpreferences?\b|einstellungen",
        r"dati personali|trattamento dei dati|personal data|personenbezogen|datenschutz",
        r"\btracciament|\btracking\b",
        r"pubblicità personalizzat|personali[sz]ed (?:ads|advertising)|personalisierte werbung",
        r"\bdispositivo\b|\bdevice\b|endgerät",
        r"\binformativa\b|privacy policy",
    )
)
_CONSENT_MANAGER_TERMS = frozenset({1, 4, 5})
"""Indexes of the terms only a consent dialog uses (consent, partners, purposes): a bare
"accept our cookies" wall has none of them."""
_PAY_TERMS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\babbona|\bsubscri|\babo\b|\babonn",
        r"\bal mese\b|\bper month\b|\bpro monat\b|/\s?mese\b",
        r"\d\s?€|€\s?\d|\beuro\b",
        r"senza pubblicità|\bad-free\b|werbefrei|ohne werbung",
        r"\bpremium\b|\bplus\b",
    )
)
_LOGIN_TERMS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\baccedi\b|\baccesso\b|\blog ?in\b|\bsign in\b|\banmelden\b|\beinloggen\b",
        r"\bpassword\b|\bpasswort\b",
        r"\bcredenziali\b|\bcredentials\b|\bzugangsdaten\b",
        r"nome utente|\busername\b|\bbenutzername\b|\be-?mail\b",
        r"\bregistrati\b|\bregister\b|\bregistrieren\b",
    )
)
_READING_BLOCKED = re.compile(
    r"riservat[oaie] (?:esclusivamente |solo )?(?:agli|ai) (?:abbonati|utenti registrati|iscritti)"
    r"|continuare a leggere.{0,80}(?:abbona|accedi|registra)"
    r"|(?:abbonati|abbonarti|abbonandoti|accedi) per (?:leggere|continuare)"
    r"|sei già abbonat|inserisci le tue credenziali"
    r"|subscribe to (?:continue|read|keep reading)|subscribers only|already a subscriber"
    r"|sign in to (?:continue|read)"
    r"|weiterlesen mit|(?:nur|exklusiv) für abonnenten|bereits abonnent",
    re.IGNORECASE,
)
"""Phrases that say the rest of the article is for subscribers; no article uses them of
itself."""
_ALL_TERMS = (*_CONSENT_TERMS, *_PAY_TERMS, *_LOGIN_TERMS, _READING_BLOCKED)
_ANY_TERM = re.compile("|".join(f"(?:{term.pattern})" for term in _ALL_TERMS).replace(r"\b", ""))
"""Every wall term without its word boundaries, for lower-cased text: matches wherever any
term does (and in more places), four times faster than the terms themselves, so the lines of
an article that hold none (most) are done in one cheap pass."""

_CMP_MARKERS = (
    "onetrust",
    "didomi",
    "iubenda",
    "cookiebot",
    "cybotcookiebot",
    "usercentrics",
    "quantcast",
    "qc-cmp",
    "sp_message",
    "sourcepoint",
    "consentmanager",
    "cookieyes",
    "cmplz",
    "complianz",
    "trustarc",
    "truste-",
    "klaro",
    "tarteaucitron",
    "contentpass",
    "cookiewall",
    "cookie-wall",
    "consent-wall",
    "consentwall",
    "gdpr-consent",
    "cmp-",
    "__cmp",
)
"""Names consent-management platforms give their containers and scripts."""
_PAYWALL_MARKERS = ("paywall", "regwall", "paygate", "piano-", "tp-modal")
_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::svg)]"
)


def wall_kind(
    html: bytes | str | HtmlElement, text: str, *, encoding: str | None = None
) -> str | None:
    """The kind of wall the page is (``consent``, ``cookie``, ``pay``, ``login``), or None
    when it is not one.

    ``html`` is the page as fetched (or its tree, before any box was cut out of it: the wall
    is often exactly such a box); ``text`` the main text extraction found; ``encoding`` the
    HTTP charset.
    """
    prose, wall_lines = _main_text_chars(text)
    if prose >= TEASER_MAX:
        return None
    root = html if isinstance(html, HtmlElement) else _parse(html, encoding)
    if root is None:
        return None
    chunks = _visible_chunks(root)
    page = " ".join(chunks)
    login_form = _has_password_field(root) and _distinct(_LOGIN_TERMS, page) >= 2
    if login_form and (prose < MIN_PROSE or _READING_BLOCKED.search(text)):
        return LOGIN
    if _READING_BLOCKED.search(page) or _paywall_box(root):
        return PAY
    # A brief is short too: the body is missing only when its text is the wall's, or nothing.
    body_missing = prose < MIN_PROSE and (wall_lines > 0 or prose < MIN_BRIEF)
    if not body_missing or _wall_share(chunks) < WALL_SHARE:
        return None
    found = {i for i, term in enumerate(_CONSENT_TERMS) if term.search(page)}
    manager = _has_marker(root, _CMP_MARKERS)
    if not ((manager and len(found) >= 2) or len(found) >= 3):
        return None
    if _distinct(_PAY_TERMS, page) >= 2:
        return PAY  # "consent or pay": accept the tracking or subscribe
    return CONSENT if manager or found & _CONSENT_MANAGER_TERMS else COOKIE


def _main_text_chars(text: str) -> tuple[int, int]:
    """Characters of the main text on ordinary lines (prose), and how many lines speak as a
    wall; counting stops once the prose reaches ``TEASER_MAX``, since no wall has that much
    (on an article this returns after its first paragraphs)."""
    prose = walled = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _is_wall_line(line):
            walled += 1
            continue
        prose += len(line)
        if prose >= TEASER_MAX:
            break
    return prose, walled


def _is_wall_line(line: str) -> bool:
    """Whether a line (or text node) speaks as a wall does. Articles name money, partners or
    acceptance too, so a long line needs dense consent vocabulary; a button label ("Accetta",
    "Abbonati ora") needs one term."""
    if not _ANY_TERM.search(line.lower()):
        return False
    if _READING_BLOCKED.search(line):
        return True
    if len(line) <= _LABEL_CHARS:
        return any(term.search(line) for term in _ALL_TERMS)
    if _distinct(_CONSENT_TERMS, line) >= 3:
        return True
    return len(line) <= _FORM_LINE_CHARS and _distinct(_LOGIN_TERMS, line) >= 2


def _parse(html: bytes | str, encoding: str | None) -> HtmlElement | None:
    text = decode_html(html, encoding)
    if not text.strip():
        return None
    parser = HTMLParser(encoding="utf-8", remove_comments=True, collect_ids=False)
    try:
        root = document_fromstring(text.encode("utf-8", "ignore"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return root if isinstance(root, HtmlElement) else None


def _visible_chunks(root: HtmlElement) -> list[str]:
    """The page's text nodes as a reader sees them, scripts and styles left out."""
    chunks: list[str] = []
    size = 0
    for piece in _VISIBLE_TEXT(root):
        flat = " ".join(str(piece).split())
        if flat:
            chunks.append(flat)
            size += len(flat)
            if size > _SCAN_CHARS:
                break
    return chunks


def _distinct(terms: tuple[re.Pattern[str], ...], text: str) -> int:
    return sum(1 for term in terms if term.search(text))


def _wall_share(chunks: list[str]) -> float:
    """Share of the visible text in chunks that speak as a wall."""
    total = sum(len(chunk) for chunk in chunks)
    if not total:
        return 0.0
    walled = sum(len(chunk) for chunk in chunks if _is_wall_line(chunk))
    return walled / total


def _names(element: HtmlElement) -> str:
    return f"{element.get('id', '')} {element.get('class', '')} {element.get('src', '')}".lower()


def _has_marker(root: HtmlElement, markers: tuple[str, ...]) -> bool:
    return any(
        isinstance(element.tag, str) and any(m in _names(element) for m in markers)
        for element in root.iter()
    )


def _paywall_box(root: HtmlElement) -> bool:
    """A paywall container that speaks of subscribing (an empty placeholder does not count:
    some templates carry one on every page)."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag == "script":
            continue
        marked = any(m in _names(element) for m in _PAYWALL_MARKERS)
        if marked and _distinct(_PAY_TERMS, element.text_content()) >= 2:
            return True
    return False


def _has_password_field(root: HtmlElement) -> bool:
    return any((element.get("type") or "").lower() == "password" for element in root.iter("input"))
