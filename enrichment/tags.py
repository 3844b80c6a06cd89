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
        r"(?:cura dei )?beni comuni",
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
        r"(?:social |co-?)?housing",
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
"""Phrases per area (regex fragments, matched case-insensitively between word boundaries)."""

_AREA_PATTERNS: dict[str, re.Pattern[str]] = {
    area: re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)
    for area, phrases in _PHRASES.items()
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_WHITESPACE = re.compile(r"\s+")
_ACCENT_AS_APOSTROPHE = re.compile(r"(?<=\w)([aeiou])'(?=\W|$)")
_ACCENTED = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"}


def _normalise(text: str) -> str:
    """One spelling for apostrophes, spaces and accents typed as "unita'" on old keyboards."""
    text = _WHITESPACE.sub(" ", text.translate(_APOSTROPHES))
    return _ACCENT_AS_APOSTROPHE.sub(lambda m: _ACCENTED[m.group(1).lower()], text)


def action_areas(title: str, text: str) -> tuple[str, ...]:
    """The action areas named in the title or text, in ``ACTION_AREAS`` order, each once."""
    haystack = _normalise(f"{title}\n{text}")
    return tuple(area for area in ACTION_AREAS if _AREA_PATTERNS[area].search(haystack))
