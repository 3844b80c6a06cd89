"""The LgNet2 action areas an item talks about.

The project works on three fronts (civic engagement, taking charge of people through one stop
shops and street units, housing), and the press office wants to see which front each article
covered. Each area is recognised by the phrases Italian coverage uses for it. Broad words are
only accepted inside a phrase: "casa" alone is everywhere ("a casa", "casa editrice"), but
"diritto alla casa" is housing; "tetto" is also a spending cap, but "trovano un tetto" is
housing.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

ACTION_AREAS: tuple[str, ...] = ("impegno civico", "presa in carico", "housing")

_PHRASES: dict[str, tuple[str, ...]] = {
    "impegno civico": (
        r"impegn[oi] civic[oi]",
        r"impegno civile",
        r"cittadinanza attiva",
        r"volontariato civico",
        r"(?:attività|percorsi|esperienze) di volontariato",
        r"volontari civici",
        r"partecipazione (?:civica|attiva)",
        r"servizio civico",
        r"beni comuni",
        r"patti di collaborazione",
        r"civic engagement",
    ),
    "presa in carico": (
        r"pres[ae] in carico",
        r"one[ -]stop[ -]shop",
        r"sportell[oi] unic[oi]",
        r"sportell[oi] (?:integrat[oi]|polifunzional[ei])",
        r"unità mobil[ei]",
        r"unità di strada",
        r"orientamento ai servizi",
        r"accompagnamento ai servizi",
        r"segretariato sociale",
        r"case management",
        r"[eé]quipe multidisciplinar[ei]",
    ),
    "housing": (
        r"housing",
        r"cohousing",
        r"abitativ[oaie]",
        r"alloggi(?:o|ativ[oaie])?",
        r"(?:l|all|dell|sull|nell)'abitare",
        r"diritto alla casa",
        r"emergenza casa",
        r"accesso alla casa",
        r"politiche (?:per la|della) casa",
        r"(?:trovare|trovano|trovato|ricerca di|ricerca della|cercare) (?:una )?casa",
        r"case popolari",
        r"edilizia (?:popolare|residenziale pubblica)",
        r"(?:trovare|trovano|trovato|trovino|dare|offrire|garantire) un tetto",
        r"un tetto sopra la testa",
    ),
}
"""Phrases per area (lower-case regex fragments, matched between word boundaries). Each
starts with a literal where it can: Python's ``re`` then skips ahead to that literal instead of
trying every position, which made a page's tagging several times cheaper."""

_AREA_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    area: tuple(re.compile(phrase + r"(?!\w)") for phrase in phrases)
    for area, phrases in _PHRASES.items()
}
"""The word boundary before a phrase is checked by ``_starts_a_word``: a look-behind at the
start of a pattern would cost the skip-ahead."""

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_ACCENT_AS_APOSTROPHE = re.compile(r"([aeiou])'(?=\W|$)")
_ACCENTED = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"}


def _normalise(text: str) -> str:
    """One spelling for case, apostrophes, spaces and accents typed as "unita'" on old
    keyboards."""
    text = " ".join(text.translate(_APOSTROPHES).lower().split())
    return _ACCENT_AS_APOSTROPHE.sub(_accented, text)


def _accented(match: re.Match[str]) -> str:
    """ "unita'" -> "unità"; a vowel that begins a word ("e'", "a'") is left alone."""
    if _starts_a_word(match.string, match.start()):
        return match.group(0)
    return _ACCENTED[match.group(1)]


def _starts_a_word(text: str, index: int) -> bool:
    """Whether no word character comes before ``index``."""
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


def _names(patterns: tuple[re.Pattern[str], ...], haystack: str) -> bool:
    return any(
        _starts_a_word(haystack, match.start())
        for pattern in patterns
        for match in pattern.finditer(haystack)
    )


def action_areas(title: str, text: str) -> tuple[str, ...]:
    """The action areas named in the title or text, in ``ACTION_AREAS`` order, each once."""
    haystack = _normalise(f"{title}\n{text}")
    return tuple(area for area in ACTION_AREAS if _names(_AREA_PATTERNS[area], haystack))
