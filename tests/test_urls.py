from __future__ import annotations

import pytest

from enrichment.urls import canonical_url, same_site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.Example.it/a/b/?utm_source=fb&utm_medium=social",
            "https://www.example.it/a/b/",
        ),
        ("https://example.it/x?fbclid=AbC123&id=5", "https://example.it/x?id=5"),
        ("https://example.it/x?gclid=1#commenti", "https://example.it/x"),
        ("https://example.it:443/x", "https://example.it/x"),
        ("http://example.it:80/x", "http://example.it/x"),
        ("http://example.it:8080/x", "http://example.it:8080/x"),
        ("https://example.it", "https://example.it/"),
        ("https://example.it/?p=123&amp;x=%20y", "https://example.it/?p=123&amp;x=%20y"),
    ],
)
def test_canonical_url_strips_tracking_and_noise(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_keeps_an_untouched_query_byte_for_byte() -> None:
    url = "https://example.it/cerca?q=citt%C3%A0+aperta&page=2"
    assert canonical_url(url) == url


def test_same_site_ignores_www() -> None:
    assert same_site("https://www.genova24.it/a", "https://genova24.it/b")
    assert not same_site("https://www.genova24.it/a", "https://www.liguria24.it/a")
