"""Which of the network's cities an item is about.

Coverage of the press tour came in one wave per city, and the rassegna (and the map built from
it) groups items by that city. Evidence is weighed in the order an editor would: the headline,
then an agency dateline ("(ANSA) - TORINO, 18 OTT -"), then whichever city the text names most,
and last the outlet's home city.

City names are ordinary words too. Matches need word boundaries ("Roma" is not in "Romania"),
streets named after cities ("via Roma", "corso Trieste") are skipped everywhere in Italy, and a
short list of false friends is excluded: "America Latina", "Milano Marittima", "Potenza
Picena", the Roma people... "Latina" and "Potenza" are also common lowercase words
(the adjective, "power"), so for them only a capitalised form counts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

logger = logging.getLogger(__name__)

CITIES: tuple[str, ...] = (
    "Bologna",
    "Bolzano",
    "Caserta",
    "Firenze",
    "Genova",
    "Latina",
    "Milano",
    "Napoli",
    "Palermo",
    "Perugia",
    "Potenza",
    "Roma",
    "Sassari",
    "Taranto",
    "Torino",
    "Trieste",
)

CITY_COORDINATES: dict[str, tuple[float, float]] = {
    "Bologna": (44.4938, 11.3426),
    "Bolzano": (46.4981, 11.3548),
    "Caserta": (41.0735, 14.3323),
    "Firenze": (43.7696, 11.2558),
    "Genova": (44.4073, 8.9339),
    "Latina": (41.4676, 12.9037),
    "Milano": (45.4642, 9.1900),
    "Napoli": (40.8518, 14.2681),
    "Palermo": (38.1157, 13.3615),
    "Perugia": (43.1122, 12.3888),
    "Potenza": (40.6404, 15.8056),
    "Roma": (41.8933, 12.4829),
    "Sassari": (40.7259, 8.5557),
    "Taranto": (40.4644, 17.2470),
    "Torino": (45.0703, 7.6869),
    "Trieste": (45.6495, 13.7768),
}
"""(latitude, longitude) of each city centre, in decimal degrees."""

_ALIASES: dict[str, str] = {
    "bozen": "Bolzano",
    "assb": "Bolzano",
}
"""Other names that stand for a city: the German name, the Bolzano social services agency."""

_NAMES: dict[str, str] = {city.casefold(): city for city in CITIES} | _ALIASES

_CITY = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True))
    + r")(?![^\W_])",
    re.IGNORECASE,
)

_CAPITALISED_ONLY = frozenset({"Latina", "Potenza"})
"""Cities whose lowercase name is an everyday word ("cucina latina", "potenza del motore")."""

_STREET_BEFORE = re.compile(
    r"(?:^|[^\w])(?:via|viale|v\.le|piazza|p\.zza|piazzale|corso|c\.so|largo|vicolo|strada"
    r"|lungomare|borgo|galleria|contrada|rione)\s*$",
    re.IGNORECASE,
)
"""Streets named after cities exist in every Italian town: "via Roma" says nothing."""

_FALSE_FRIENDS_BEFORE: dict[str, re.Pattern[str]] = {
    "Latina": re.compile(
        r"\b(?:america|lingua|letteratura|cultura|musica|porta|grammatica|cucina|tradizione"
        r"|origine|scrittura)\s+$",
        re.IGNORECASE,
    ),
    "Roma": re.compile(
        r"\b(?:popolo|popolazione|popolazioni|minoranza|minoranze|etnia|comunità|famiglie"
        r"|sinti\s+e|sinti,)\s+$",
        re.IGNORECASE,
    ),
}
"""Words that, placed before a city name, turn it into something else."""

_FALSE_FRIENDS_AFTER: dict[str, re.Pattern[str]] = {
    "Milano": re.compile(r"^\s+marittima\b", re.IGNORECASE),
    "Potenza": re.compile(r"^\s+picena\b", re.IGNORECASE),
    "Bolzano": re.compile(r"^\s+(?:vicentino|novarese)\b", re.IGNORECASE),
    "Torino": re.compile(r"^\s+di\s+sangro\b", re.IGNORECASE),
    "Roma": re.compile(r"^\s*(?:,|\be\b)\s*sinti\b", re.IGNORECASE),
}
"""Words that, placed after a city name, make it another place (Milano Marittima is in
Cervia, Potenza Picena in the Marche, Torino di Sangro in Abruzzo) or a people (Roma e Sinti)."""

_DATELINE = re.compile(
    r"""^\s*
    (?:\([^()\n]{1,30}\)\s*[-–—]?\s*)?            # (ANSA) -
    (?P<place>[^\W\d_][^\W\d_'’ ]*(?:\ [^\W\d_]+){0,2}?)  # TORINO, Roma, Bozen
    \s*(?:\([^()\n]{1,30}\))?                     # ROMA (ITALPRESS)
    \s*(?:[,.]\s*[^\n\-–—]{1,40}?)?               # , 18 OTT / , 23 novembre 2023
    \s*[-–—]\s""",
    re.VERBOSE,
)
"""An agency dateline opening the text: "(ANSA) - TORINO, 18 OTT -", "Roma, 23 novembre –"."""


def _city_mentions(text: str) -> list[str]:
    """The cities named in ``text``, in order of appearance, false friends removed."""
    found = []
    for match in _CITY.finditer(text):
        city = _NAMES[match.group().casefold()]
        if city in _CAPITALISED_ONLY and not match.group()[0].isupper():
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 40]
        if _STREET_BEFORE.search(before):
            continue
        friend_before = _FALSE_FRIENDS_BEFORE.get(city)
        if friend_before and friend_before.search(before):
            continue
        friend_after = _FALSE_FRIENDS_AFTER.get(city)
        if friend_after and friend_after.search(after):
            continue
        found.append(city)
    return found


def _dateline_city(text: str) -> str | None:
    """The city of an agency dateline at the very start of the text, if there is one."""
    match = _DATELINE.match(text)
    if not match:
        return None
    return _NAMES.get(" ".join(match["place"].split()).casefold())


def _most_mentioned(text: str) -> str | None:
    """The city named most often; on a tie the one named first (``Counter`` keeps order)."""
    counts = Counter(_city_mentions(text))
    if not counts:
        return None
    return max(counts, key=lambda city: counts[city])


def detect_city(title: str, text: str, *, hint: str | None = None) -> str | None:
    """The network city the item is about (Italian name), or None when none is evident.

    ``hint`` is the outlet's home city, used only when neither title nor text names a city;
    a hint outside the network is ignored.
    """
    in_title = _city_mentions(title)
    if in_title:
        return in_title[0]
    city = _dateline_city(text) or _most_mentioned(text)
    if city:
        return city
    if hint:
        return _NAMES.get(" ".join(hint.split()).casefold())
    return None
