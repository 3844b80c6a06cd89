"""The article headline, without the site name templates add around it.

``<title>`` is usually "Headline - Testata" or "Testata | Headline"; og:title is often clean
but sometimes carries the suffix too; the ``<h1>`` is clean but some templates use it for the
logo. The headline is the candidate most sources agree on once site names are stripped,
and the part stripped from ``<title>`` tells the site's own name when nothing else does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from enrichment.layout import normalised

_SEPARATOR = re.compile(r"\s+[-–—|•·»:]{1,2}\s+|\s*\|\s*|\s+::\s+")
_MAX_SITE_NAME = 60
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)


@dataclass(frozen=True)
class Headline:
    """The chosen headline, and the site name found beside it in ``<title>``."""

    title: str | None
    site_name: str | None


def choose_headline(
    candidates: list[str | None], site_names: list[str], url: str, *, heading: str | None = None
) -> Headline:
    """Pick the headline from candidates listed most trusted first.

    A candidate wins by agreeing with others (same words once case, accents and punctuation
    are ignored, or equal to one side of another's separator); ties go to the more trusted.
    A candidate that is only the site name never wins, nor one cut short with an ellipsis
    ("Pensioni, la maggioranza trova…") when another candidate is its whole.

    ``heading`` is the text of the visible headline element, also among the candidates. When
    another candidate agrees with it, only candidates agreeing with it can win: national
    papers give og:title, twitter:title and ``<title>`` a shorter headline for social
    networks, and its copies must not outvote the headline the reader sees.
    """
    known = {normalised(name) for name in site_names if name}
    known.update(_host_names(url))
    known.discard("")
    raw = [" ".join(candidate.split()) for candidate in candidates if candidate]
    cleaned: list[str] = []
    for candidate in raw:
        text = strip_site_name(candidate, known)
        if normalised(text) and normalised(text) not in known:
            cleaned.append(text)
    cleaned = [text for text in cleaned if not _truncation(text, cleaned)]
    if not cleaned:
        return Headline(title=None, site_name=None)
    contenders = _confirmed_by_heading(cleaned, heading, known) or list(range(len(cleaned)))
    scores = {index: _agreement(index, cleaned) for index in contenders}
    best_index = max(contenders, key=lambda index: (scores[index], -index))
    title = cleaned[best_index]
    return Headline(title=title, site_name=_site_name_beside(title, raw))


def _agreement(index: int, cleaned: list[str]) -> int:
    """Count the other candidates that are ``cleaned[index]``, or it plus a site affix."""
    text = cleaned[index]
    return sum(
        1
        for other_index, other in enumerate(cleaned)
        if other_index != index
        and (normalised(other) == normalised(text) or _remainder(other, text) is not None)
    )


def _agree(first: str, second: str) -> bool:
    """Tell whether two candidates are one headline, one perhaps with a site affix."""
    return (
        normalised(first) == normalised(second)
        or _remainder(first, second) is not None
        or _remainder(second, first) is not None
    )


def _confirmed_by_heading(cleaned: list[str], heading: str | None, known: set[str]) -> list[int]:
    """Return the candidates agreeing with the visible heading, if another source confirms it.

    The heading itself is one of the candidates, so confirmation takes two of them: an
    ``<h1>`` no metadata repeats may be a related item's or a section's, and gets no say.
    """
    if not heading:
        return []
    visible = strip_site_name(" ".join(heading.split()), known)
    agreeing = [index for index, text in enumerate(cleaned) if _agree(text, visible)]
    return agreeing if len(agreeing) >= 2 else []


def _truncation(text: str, cleaned: list[str]) -> bool:
    """Tell a headline cut short with an ellipsis when another candidate is its whole."""
    stem = text.rstrip()
    for ellipsis in ("…", "..."):
        if stem.endswith(ellipsis):
            stem = normalised(stem[: -len(ellipsis)])
            return bool(stem) and any(
                normalised(other).startswith(stem) and normalised(other) != stem
                for other in cleaned
                if other != text
            )
    return False


def _site_name_beside(title: str, raw: list[str]) -> str | None:
    """Return the site name a raw candidate adds around the chosen title, if one does."""
    for candidate in raw:
        rest = _remainder(candidate, title)
        if rest is None:
            continue
        parts = _SEPARATOR.split(rest)
        name = parts[-1] if candidate.startswith(title) else parts[0]
        if len(name) <= _MAX_SITE_NAME:
            return name.strip()
    return None


def strip_site_name(title: str, known: set[str]) -> str:
    """Remove a leading or trailing part that names the site ("Titolo - Torinoggi.it")."""
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = _SEPARATOR.findall(title)
    if normalised(parts[-1]) in known or _is_domain(parts[-1]):
        return _join(parts[:-1], separators[:-1])
    if normalised(parts[0]) in known or _is_domain(parts[0]):
        return _join(parts[1:], separators[1:])
    return title


def _remainder(longer: str, title: str) -> str | None:
    """Return what ``longer`` adds around ``title`` across one separator, if it does."""
    if len(longer) <= len(title):
        return None
    if longer.startswith(title):
        rest = longer[len(title) :]
        match = _SEPARATOR.match(rest)
        if match:
            return rest[match.end() :].strip() or None
    if longer.endswith(title):
        rest = longer[: -len(title)]
        match = _SEPARATOR.search(rest)
        if match and match.end() == len(rest):
            return rest[: match.start()].strip() or None
    return None


def _join(parts: list[str], separators: list[str]) -> str:
    """Reassemble title parts with their original separators."""
    pieces = [parts[0]]
    for separator, part in zip(separators, parts[1:], strict=False):
        pieces.extend((separator, part))
    return "".join(pieces).strip()


def _host_names(url: str) -> set[str]:
    """Return the site's host in the forms titles use ("torinoggi", "torinoggiit")."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return set()
    label = host.split(".")[0]
    return {normalised(host), normalised(label)}


def _is_domain(text: str) -> bool:
    """Tell a bare domain name ("ANSA.it", "Liguria24.it") from a headline fragment."""
    return bool(_DOMAIN.fullmatch(text.strip()))
