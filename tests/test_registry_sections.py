"""The registry's optional sections and keys of contract 7: ``discovery`` and ``closed``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from enrichment.errors import RegistryError
from enrichment.registry import parse_registry
from enrichment.registry_sections import DISCOVERY_SOURCES

OUTLET = {"name": "Cronaca Esempio", "category": "quotidiani", "feeds": ["https://e.test/feed/"]}


def registry(**sections: Any) -> Any:
    return parse_registry({"outlets": [OUTLET], **sections}, "prova.yaml")


def test_discovery_is_off_unless_the_registry_asks_for_it() -> None:
    assert registry().discovery is None
    settings = registry(discovery={}).discovery
    assert settings is not None
    assert (settings.sources, settings.default_category, settings.interval) == (
        DISCOVERY_SOURCES,
        "portali",
        60,
    )
    chosen = registry(discovery={"sources": ["gdelt", "gdelt"], "interval": 30}).discovery
    assert chosen is not None
    assert (chosen.sources, chosen.interval) == (("gdelt",), 30)


@pytest.mark.parametrize(
    ("section", "named"),
    [
        ({"sources": ["altavista"]}, "'altavista' is not one of google_news, bing_news, gdelt"),
        ({"sources": []}, "non-empty list"),
        ({"default_category": "blog"}, "'blog' is not one of"),
        ({"interval": 0}, "positive number of minutes"),
        ({"every": 5}, "unknown key 'every' in 'discovery'"),
        ("sì", "must be a mapping"),
    ],
)
def test_a_bad_discovery_section_is_one_line_naming_the_file(section: Any, named: str) -> None:
    with pytest.raises(RegistryError) as error:
        registry(discovery=section)
    message = str(error.value)
    assert "prova.yaml" in message
    assert named in message
    assert "\n" not in message


def test_a_closed_outlet_is_kept_for_its_archive_but_never_crawled() -> None:
    for closed in ("2025-01-10", datetime.date(2025, 1, 10)):
        outlet = parse_registry({"outlets": [{**OUTLET, "closed": closed}]}, "r.yaml").outlets[0]
        assert outlet.closed == "2025-01-10"
        assert list(outlet.entry_points("lgnet2")) == []
    open_one = registry().outlets[0]
    assert list(open_one.entry_points("lgnet2")) == [("feed", "https://e.test/feed/")]
    with pytest.raises(RegistryError, match="'gennaio' is not a date"):
        parse_registry({"outlets": [{**OUTLET, "closed": "gennaio"}]}, "r.yaml")


def test_selecting_outlets_keeps_every_section() -> None:
    full = registry(discovery={}, editions={"every": "weekly"})
    chosen = full.select(["Cronaca Esempio"])
    assert chosen.discovery == full.discovery
    assert chosen.editions == full.editions
    assert chosen.outlet_for_url("https://www.e.test/2023/articolo") == full.outlets[0]
