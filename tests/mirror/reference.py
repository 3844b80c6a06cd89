"""The reference rassegna as the tests read it: what a crawl of the mirror must reproduce.

Tests read the reference CSV at run time from ``tests/fixtures/reference`` (the real rassegna's
facts, with synthetic headlines: see the README there), so the expected figures are never
copied into the tests or the mirror.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REFERENCE_NAME = "rassegna-2023-12-14.csv"
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "reference"
CRAWLABLE_CATEGORIES = frozenset({"quotidiani", "periodici", "portali"})


@dataclass(frozen=True)
class ReferenceRow:
    """One uscita of the reference, with empty cells as None."""

    n: int
    category: str
    category_label: str
    outlet: str
    audience: int | None
    title: str
    date: str
    journalist: str | None
    city: str
    url: str | None

    @property
    def crawlable(self) -> bool:
        """A web article the crawler must find: not a print clipping, social post or bulletin."""
        return self.category in CRAWLABLE_CATEGORIES and self.url is not None


def reference_csv() -> Path:
    """The reference CSV inside the repository."""
    return REFERENCE_DIR / REFERENCE_NAME


def read_reference(path: Path) -> list[ReferenceRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            ReferenceRow(
                n=int(row["n"]),
                category=row["category"],
                category_label=row["category_label"],
                outlet=row["outlet"],
                audience=int(row["audience"]) if row["audience"] else None,
                title=row["title"],
                date=row["date"],
                journalist=row["journalist"] or None,
                city=row["city"],
                url=row["url"] or None,
            )
            for row in csv.DictReader(handle)
        ]
