"""The press office's decisions inside the Elasticsearch documents, for Kibana.

The desk (``search.desk``) is the one place decisions are taken and kept; every reader of this
program applies them when it shows an item. Kibana and the ES API read the index directly, so
the index must carry them too, or a dashboard would count an excluded item and print a title
the office corrected. A document therefore shows the item as the office sends it: corrected
fields in place, the decision's state under ``desk`` (``excluded``, ``reason``, ``highlight``,
``reviewed``, ``corrected``: the names of the corrected fields), and the crawled values of the
corrected fields under ``desk.original``, from which the store reads the item back as crawled
(``crawled_source``), the same item the embedded store returns.

A later crawl of the page rewrites the document from the new crawl with the same ``desk``
object, so a decision survives any number of crawls, re-imports or ``reprocess`` runs; a
re-index copies ``desk`` with the rest of the document.
"""

from __future__ import annotations

from typing import Any

from enrichment.cities import CITY_COORDINATES
from enrichment.vocabulary import CATEGORIES
from search.desk.decisions import Decision

MAPPING: dict[str, Any] = {
    "properties": {
        "excluded": {"type": "boolean"},
        "reason": {"type": "text", "analyzer": "italian"},
        "highlight": {"type": "boolean"},
        "reviewed": {"type": "boolean"},
        "version": {"type": "integer"},
        "corrected": {"type": "keyword"},
        "corrections": {"type": "object", "enabled": False},
        "original": {"type": "object", "enabled": False},
    }
}
"""The ``desk`` field of the index mapping."""


def desk_object(decision: Decision) -> dict[str, Any]:
    """What a document keeps of a decision (``original`` is filled in by ``shown``)."""
    return {
        "excluded": decision.excluded,
        "reason": decision.reason,
        "highlight": decision.highlight,
        "reviewed": decision.reviewed,
        "version": decision.version,
        "corrected": sorted(decision.corrections),
        "corrections": dict(decision.corrections),
    }


def shown(document: dict[str, Any], desk: dict[str, Any] | None) -> dict[str, Any]:
    """The crawled ``document`` as the office shows it, with ``desk`` recorded in it."""
    if not desk:
        return document
    result = dict(document)
    corrections: dict[str, Any] = desk.get("corrections") or {}
    result["desk"] = {
        **{key: value for key, value in desk.items() if key != "original"},
        "original": {name: document.get(name) for name in corrections},
    }
    result.update(corrections)
    if "category" in corrections:
        result["category_label"] = CATEGORIES.get(result["category"], result["category"])
    if "city" in corrections:
        result.pop("city_location", None)
        if result["city"] in CITY_COORDINATES:
            lat, lon = CITY_COORDINATES[result["city"]]
            result["city_location"] = {"lat": lat, "lon": lon}
    if "title" in corrections and "title_de" in result:
        result["title_de"] = result["title"]
    return result


def crawled_source(source: dict[str, Any]) -> dict[str, Any]:
    """A stored document's fields as crawled: the corrections of ``desk`` taken back out."""
    original = (source.get("desk") or {}).get("original") or {}
    return {**source, **original} if original else source


def desk_version(source: dict[str, Any]) -> int | None:
    """The version of the decision a document carries, None when it carries none."""
    desk = source.get("desk")
    return int(desk["version"]) if desk else None
