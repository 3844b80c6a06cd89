"""Language of an article's main text, as an ISO 639-1 code.

The rassegna is about Italian coverage, but outlets in Bolzano publish in German too and some
agencies have English services, so the language is detected from the text rather than trusted
from ``<html lang>``, which CMS themes often leave at a wrong default. The declared language is
only the fallback for texts too short to judge.

langdetect is random by design; a private factory with a fixed seed makes the answer
repeatable, so the same page always gets the same language (the global ``DetectorFactory``
is left alone because other code may rely on it).
"""

from __future__ import annotations

import functools
import logging
import re

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

logger = logging.getLogger(__name__)

MIN_LETTERS = 25
"""Below this many letters langdetect guesses more than it detects."""

MAX_CHARS = 700
"""The detector's cost grows with the text it reads: at 2000 characters it was over half of a
page's extraction and enrichment; a title and a lead paragraph settle a news article's language."""

_PRIMARY_SUBTAG = re.compile(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*")


@functools.cache
def _factory() -> DetectorFactory:
    """Load the language profiles once: they take a few hundred milliseconds to read."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def _iso_639_1(code: str | None) -> str | None:
    """``"it-IT"``, ``"IT"``, ``"zh-cn"`` -> ``"it"``, ``"it"``, ``"zh"``; anything else -> None."""
    if not code:
        return None
    match = _PRIMARY_SUBTAG.fullmatch(code)
    return match.group(1).lower() if match else None


def detect_language(text: str, *, declared: str | None = None) -> str | None:
    """The ISO 639-1 language of ``text``, or the declared one when the text is too short.

    Returns None when the text is too short to judge and nothing usable was declared.
    """
    fallback = _iso_639_1(declared)
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return fallback
    detector = _factory().create()
    detector.append(sample)
    try:
        detected = detector.detect()
    except LangDetectException as exc:
        logger.debug("language not detected (%s); using declared %r", exc, declared)
        return fallback
    return _iso_639_1(detected) or fallback
