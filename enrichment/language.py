"""Language of an article's main text, as an ISO 639-1 code.

The rassegna is about Italian coverage, but outlets in Bolzano publish in German too and some
agencies have English services, so the language is detected from the text rather than trusted
from ``<html lang>``, which CMS themes often leave at a wrong default. The declared language is
the fallback for texts too short or too mixed to judge.

py3langid (langid.py's model, shipped inside the package) is deterministic and reads a lead
paragraph in about 0.1 ms; langdetect, used before, was random unless seeded and cost 3-4 ms
a page, a quarter of a page's extraction and enrichment. The model loads once per process
(about a second), which the crawl's extraction workers do before their first page.
"""

from __future__ import annotations

import functools
import io
import lzma
import re
from array import array

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

MIN_LETTERS = 25
"""Below this many letters the detector guesses more than it detects."""

MAX_CHARS = 700
"""A title and a lead paragraph settle a news article's language; reading more only costs."""

MIN_CONFIDENCE = 0.5
"""Below this normalised probability the text is too mixed to judge (a list of place names
in two languages): the page's own declaration stands, or the language stays unknown rather
than a guess such as Aragonese."""

_PRIMARY_SUBTAG = re.compile(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*")
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
"""Addresses and e-mails: letters of no language, which would otherwise count as text."""


@functools.cache
def _identifier() -> LanguageIdentifier:
    """Our own identifier, with probabilities normalised to 0-1 so that a confidence means
    the same on every text (py3langid's module-level one gives raw log scores).

    The model is unpacked in memory: py3langid's own loader unpacks its 68 MB into a
    temporary file, so on a full disk no page could be read at all, where the crawl must go on
    storing what it can. The layout read here is the one py3langid documents for its model
    (an LZMA-packed NumPy archive), pinned by the dependency's version range."""
    with lzma.open(MODEL_DIR / MODEL_FILE) as packed:
        unpacked = io.BytesIO(packed.read())
    with np.load(unpacked, allow_pickle=False) as model:
        return LanguageIdentifier(
            model["ptc"],
            model["pc"],
            model["classes"].tolist(),
            _unsigned(model["nextmove"]),
            model["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_unsigned(model["nextmove_row"]),
        )


def _unsigned(values: np.ndarray) -> array[int]:
    """The state machine's tables as the identifier walks them: a typed array of the
    model's unsigned integers."""
    return array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize], values.tobytes())


def _iso_639_1(code: str | None) -> str | None:
    """``"it-IT"``, ``"IT"``, ``"zh-cn"`` -> ``"it"``, ``"it"``, ``"zh"``; anything else -> None."""
    if not code:
        return None
    match = _PRIMARY_SUBTAG.fullmatch(code)
    return match.group(1).lower() if match else None


def detect_language(text: str, *, declared: str | None = None) -> str | None:
    """The ISO 639-1 language of ``text``, or the declared one when the text is too short or
    the detector unsure.

    Returns None when the text cannot be judged and nothing usable was declared.
    """
    fallback = _iso_639_1(declared)
    sample = _NOT_WORDS.sub(" ", text[:MAX_CHARS])
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return fallback
    language, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return fallback
    return _iso_639_1(language) or fallback
