"""The byline as the rassegna prints it: initials and surname ("A. Gipponi").

CMS bylines are noisy: "By Alice Gipponi", "di GIOVANNI MASCIA", "Pietro Stendardo |
Redazione", "Alice Gipponi - 26 Ottobre 2023", an e-mail address, or the name of the outlet
itself. The raw string is cut into candidate segments (at separators, dates and e-mails), each
is stripped of lead-in words ("a cura di") and tested for looking like a person; the first
person wins. Co-authored pieces therefore print only the first author: the rassegna's column is
narrow and the press office needs a contact, not a credits list.

Editorial and institutional bylines ("Redazione", "Ufficio stampa", "ANSA", the outlet's name)
give None, because the rassegna leaves the column empty rather than crediting a desk. So do
site accounts printed as the byline ("mrossi", "luca84", "redazione2", "m.rossi"), and labels
or relative dates a template glued to the name ("Mario RossiPubblicato", "Mario Rossi3 giorni
fa") are cut off before the name is read.

A byline of one word gives None too, even a capitalised real surname ("Rossi"): the column
prints "initial. surname", and one capitalised word cannot be told from a capitalised
account ("Mrossi", "Webmaster"), a desk or a place. An empty column asks the office to look;
a wrong name would be printed as fact.
"""

from __future__ import annotations

import logging
import re

from enrichment.dates import DATE_LABELS, RELATIVE_DATE

logger = logging.getLogger(__name__)

_PARTICLES = frozenset(
    {
        "d'",
        "da",
        "dal",
        "dall'",
        "dalla",
        "de",
        "de'",
        "degli",
        "dei",
        "del",
        "dell'",
        "della",
        "delle",
        "dello",
        "der",
        "di",
        "du",
        "la",
        "le",
        "li",
        "lo",
        "mc",
        "van",
        "von",
    }
)
"""Words that belong to the surname that follows them ("Di Meo", "De Luca", "Van Dyke")."""

_NOT_GIVEN_NAMES = _PARTICLES | {"il", "i", "gli", "un", "una", "uno", "the", "per", "con"}
"""A person's byline never starts with these: "La Nuova Sardegna" is a newspaper."""

_NOT_PERSON_WORDS = frozenset(
    {
        "adnkronos",
        "admin",
        "administrator",
        "agenzia",
        "agenzie",
        "agi",
        "aggiornato",
        "aktualisiert",
        "amministratore",
        "anonimo",
        "ansa",
        "askanews",
        "attualità",
        "autore",
        "autrice",
        "collaboratori",
        "comune",
        "comunicato",
        "cronaca",
        "cronache",
        "cultura",
        "desk",
        "dire",
        "economia",
        "editor",
        "editore",
        "editorial",
        "esteri",
        "eventi",
        "guest",
        "italpress",
        "lapresse",
        "lokales",
        "news",
        "newsroom",
        "notizie",
        "ospite",
        "politica",
        "press",
        "published",
        "pubblicato",
        "redattore",
        "redazione",
        "spettacoli",
        "sport",
        "staff",
        "stampa",
        "team",
        "ufficio",
        "updated",
        "user",
        "utente",
        "veröffentlicht",
        "web",
        "webmaster",
    }
)
"""Words that mark a desk, an agency, a CMS account, a section or a date label rather than a
person ("CRONACA LOCALE" and "AGGIORNATO IL" are printed in capitals like a name)."""

_LEAD_IN = re.compile(
    r"^(?:a\s+cura\s+d[ei]|articolo\s+di|scritto\s+da|pubblicato\s+da|inserito\s+da"
    r"|testo\s+di|servizio\s+di|posted\s+by|written\s+by|autore|autrice|by|di|da"
    r"|von|verfasst\s+von|autor|autorin)\b\s*:?\s*",
    re.IGNORECASE,
)

_MONTHS = (
    r"(?:gen(?:naio)?|feb(?:braio)?|mar(?:zo)?|apr(?:ile)?|mag(?:gio)?|giu(?:gno)?"
    r"|lug(?:lio)?|ago(?:sto)?|set(?:tembre)?|sett|ott(?:obre)?|nov(?:embre)?|dic(?:embre)?"
    r"|january|february|march|april|may|june|july|august|september|october|november|december)"
)
_WEEKDAYS = r"(?:lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica)"
_DATE = re.compile(
    rf"(?:{_WEEKDAYS},?\s+)?\d{{1,2}}\s+{_MONTHS}\.?(?:\s+\d{{2,4}})?"
    rf"|{_MONTHS}\.?\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\b{_MONTHS}\s+\d{{4}}"
    r"|\b(?:ore|alle|at)\s+\d{1,2}[:.]\d{2}",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>")
_WITH_DIGIT = re.compile(r"\S*\d\S*")
_GLUED_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")
"""A letter straight before a digit: a date glued to the surname ("Rossi3 giorni fa")."""
_LABEL = re.compile(rf"(?:\b|(?<=[a-zà-ÿ]))(?:{'|'.join(DATE_LABELS)})\b", re.IGNORECASE)
"""Date labels, also glued to the name by a template ("Mario RossiPubblicato")."""
_SEPARATORS = re.compile(r"\s+[-–—]\s+|[|,;/•·\n]|\s+(?:e|and|&)\s+", re.IGNORECASE)
_INITIALS_JOINED = re.compile(r"(?<=\b\w)\.(?=\w)")
_TOKEN = re.compile(r"[^\W\d_]\.(?!\w)|[^\W\d_]+(?:['-][^\W\d_]+)*'?")
_EDGE_PUNCTUATION = ' \t:;,."«»“”*'
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_ALNUM = re.compile(r"[\W_]+")
_DOMAIN_SUFFIX = re.compile(r"\.(?:it|com|net|org|eu|info|biz|news)$", re.IGNORECASE)


def _key(name: str) -> str:
    """Compare names regardless of case, spacing, punctuation and a domain suffix."""
    return _ALNUM.sub("", _DOMAIN_SUFFIX.sub("", name.strip()).casefold())


def _brand_keys(*names: str | None) -> frozenset[str]:
    """Keys for the outlet and site names, and for each brand of a label like "A – B"."""
    keys = set()
    for name in filter(None, names):
        keys.add(_key(name))
        keys.update(_key(part) for part in re.split(r"\s+[-–—|]\s+", name))
    keys.discard("")
    return frozenset(keys)


def _segments(raw: str) -> list[str]:
    """Candidate pieces of the byline: e-mails, URLs, dates and numbers act as separators."""
    text = raw.translate(_APOSTROPHES)
    for noise in (_EMAIL, _URL, _PARENTHESES):
        text = noise.sub("|", text)
    text = _GLUED_DIGIT.sub(" ", text)
    for noise in (_DATE, RELATIVE_DATE, _LABEL, _WITH_DIGIT):
        text = noise.sub("|", text)
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


def _title_case(token: str) -> str:
    """Capitalise each word of a token: DELL'ORTO -> Dell'Orto, ROSSI-BIANCHI -> Rossi-Bianchi."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group()[0].upper() + m.group()[1:].lower(), token)


def _without_lead_in(segment: str) -> str:
    """Drop "By", "a cura di", "Autore:"... however many precede the name."""
    while True:
        stripped = _LEAD_IN.sub("", segment, count=1)
        if stripped == segment:
            return segment.strip(_EDGE_PUNCTUATION)
        segment = stripped


def _person(segment: str) -> str | None:
    """Format ``segment`` as "I. Surname" if it reads as a person's name."""
    if segment.islower() and not any(char.isspace() for char in segment):
        return None  # an account ("m.rossi", "mario-rossi"): people's names have spaces
    segment = _INITIALS_JOINED.sub(". ", segment)
    tokens = _TOKEN.findall(segment)
    if "".join(tokens) != re.sub(r"\s+", "", segment) or not 2 <= len(tokens) <= 5:
        return None
    lowered = [token.casefold() for token in tokens]
    if lowered[0] in _NOT_GIVEN_NAMES or any(word in _NOT_PERSON_WORDS for word in lowered):
        return None
    if not segment.islower() and any(
        not token[0].isupper()
        for token, low in zip(tokens, lowered, strict=True)
        if low not in _PARTICLES
    ):
        return None
    surname_start = len(tokens) - 1
    while surname_start > 1 and lowered[surname_start - 1] in _PARTICLES:
        surname_start -= 1
    given, surname = tokens[:surname_start], tokens[surname_start:]
    if surname[-1].endswith(".") or len(surname[-1]) < 2:
        return None
    initials = " ".join(f"{token[0].upper()}." for token in given)
    # Shouted names are tamed; a lowercase particle in a normally written name is the
    # author's own spelling ("de Gasperi") and is kept.
    one_case = segment.islower()
    surname_text = " ".join(
        _title_case(token) if one_case or token.isupper() else token for token in surname
    ).replace("' ", "'")
    return f"{initials} {surname_text}"


def format_journalist(
    author_raw: str | None, *, outlet: str | None = None, site_name: str | None = None
) -> str | None:
    """The byline as "A. Gipponi" / "M. G. De Luca", or None for editorial or unusable ones.

    ``outlet`` and ``site_name`` are the publisher's names: a byline that merely repeats them
    is not a journalist. With several authors only the first is kept.
    """
    if not author_raw or not author_raw.strip():
        return None
    brands = _brand_keys(outlet, site_name)
    for segment in map(_without_lead_in, _segments(author_raw)):
        if _key(segment) in brands:
            continue
        person = _person(segment)
        if person:
            return person
    logger.debug("no person in byline %r", author_raw)
    return None
