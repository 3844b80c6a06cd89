"""Per-outlet hooks: which pages they serve, what they correct, and that bad pages pass.

The Zazoom hook's fixture is ``tests/fixtures/pages/zazoom_pipe_headline_bari``: a headline
printed with its commas as " | ", and a "Leggi la notizia su" link whose title attribute
carries the original headline.
"""

from __future__ import annotations

import pkgutil
from dataclasses import replace
from importlib import import_module

import pytest
from lxml.html import document_fromstring, tostring

from enrichment import publishers
from enrichment.extract import extract_page
from enrichment.publishers import PUBLISHERS, apply_publisher_hook, publisher_for, zazoom
from enrichment.records import Extracted
from tests.test_extract import load_fixture

FIXTURE = "zazoom_pipe_headline_bari"
ORIGINAL = "Bari, il Comune entra nella rete LgNet2: sportelli, alloggi e unità di strada"
PRINTED = "Bari | il Comune entra nella rete LgNet2: sportelli | alloggi e unità di strada"
LINK_TITLE = f' title="{ORIGINAL}"'
TEXT = (
    "<p>Caserta entra nella rete LgNet2 e potrà contare su risorse europee per rafforzare i"
    " servizi rivolti ai cittadini stranieri, con uno sportello e alloggi temporanei.</p>"
)


def fixture_page() -> tuple[str, str]:
    html, spec = load_fixture(FIXTURE)
    return html.decode("utf-8"), spec["url"]


def zazoom_page(head: str, body: str) -> str:
    return f'<html><head>{head}</head><body><div class="post-text">{body}{TEXT}</div></body></html>'


# lookup


@pytest.mark.parametrize(
    "url",
    [
        "https://www.zazoom.it/2023-12-05/titolo/13904417/",
        "https://zazoom.it/",
        "http://m.notizie.ZAZOOM.it:8080/a?b=c",
    ],
)
def test_a_host_and_its_subdomains_are_served(url: str) -> None:
    assert publisher_for(url) is zazoom


@pytest.mark.parametrize(
    "url",
    [
        "https://www.notzazoom.it/a",
        "https://zazoom.it.example.com/a",
        "https://www.genova24.it/2023/11/a/",
        "https://it/",
        "not a url",
        "",
        "http://[::1/a",
    ],
)
def test_other_hosts_and_bad_addresses_have_no_hook(url: str) -> None:
    assert publisher_for(url) is None


def test_a_page_of_another_host_is_untouched() -> None:
    html, url = fixture_page()
    elsewhere = url.replace("www.zazoom.it", "www.altrarassegna.it")
    record = extract_page(html, elsewhere)
    assert record.title == PRINTED
    assert apply_publisher_hook(record, html, None) is record


def test_registry_lists_every_hook_module_once() -> None:
    modules = {
        import_module(f"{publishers.__name__}.{info.name}")
        for info in pkgutil.iter_modules(publishers.__path__)
    }
    assert set(PUBLISHERS) == modules
    assert len(PUBLISHERS) == len(modules)
    hosts = [host for publisher in PUBLISHERS for host in publisher.HOSTS]
    assert len(hosts) == len(set(hosts))
    assert all(host == host.lower() and not host.startswith("www.") for host in hosts)


# the Zazoom hook


def test_fixture_headline_is_the_one_the_link_to_the_original_carries() -> None:
    html, url = fixture_page()
    assert extract_page(html, url).title == ORIGINAL


def test_without_the_original_headline_the_commas_are_put_back() -> None:
    html, url = fixture_page()
    record = extract_page(html.replace(LINK_TITLE, ""), url)
    assert record.title == ORIGINAL
    assert record.site_name == "Zazoom"


def test_the_originals_punctuation_beats_putting_commas_back() -> None:
    html, url = fixture_page()
    dashed = ORIGINAL.replace("Bari,", "Bari –")
    record = extract_page(html.replace(LINK_TITLE, f' title="{dashed}"'), url)
    assert record.title == dashed


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (">Leggi la notizia su notiziebaresi<", f">{ORIGINAL}<"),
        ("Leggi la notizia su notiziebaresi", f"«{ORIGINAL}»: leggi la notizia su notiziebaresi"),
    ],
    ids=["anchor-text", "quoted-beside"],
)
def test_the_original_headline_may_be_the_link_text_or_quoted_beside_it(old: str, new: str) -> None:
    html, url = fixture_page()
    page = html.replace(LINK_TITLE, "").replace(old, new.replace("Bari,", "Bari:"))
    assert extract_page(page, url).title == ORIGINAL.replace("Bari,", "Bari:")


def test_a_link_text_with_other_words_is_not_taken_for_the_headline() -> None:
    html, url = fixture_page()
    page = html.replace(LINK_TITLE, ' title="Bari, sportelli e alloggi"')
    assert extract_page(page, url).title == ORIGINAL


def test_a_headline_cut_at_its_first_pipe_is_made_whole() -> None:
    page = zazoom_page(
        "<title>Migranti | a Caserta il progetto LgNet2 con fondi europei - Zazoom</title>", ""
    )
    record = extract_page(page, "https://www.zazoom.it/2023-11-24/migranti/1/")
    assert record.title == "Migranti, a Caserta il progetto LgNet2 con fondi europei"
    assert record.site_name == "Zazoom"


def test_a_page_without_pipes_in_its_headline_is_left_alone() -> None:
    html, spec = load_fixture("zazoom_aggregator_caserta")
    record = extract_page(html, spec["url"])
    root = document_fromstring(html)
    assert zazoom.fix(root, record) is record


def test_pipes_in_a_box_beside_the_article_change_nothing() -> None:
    page = zazoom_page(
        "<title>Caserta nella rete LgNet2</title>",
        "<h1>Caserta nella rete LgNet2</h1>"
        '<div class="sidebar"><h1>Calcio | il nuovo portiere arriva dal Fenicottero</h1></div>',
    )
    record = Extracted(url="https://www.zazoom.it/a/1/", title="Caserta nella rete LgNet2")
    assert zazoom.fix(document_fromstring(page), record) is record


def test_the_hook_changes_neither_the_tree_nor_the_record() -> None:
    html, url = fixture_page()
    root = document_fromstring(html)
    before = tostring(root)
    record = Extracted(
        url=url,
        title=PRINTED,
        site_name="Zazoom",
        attribution_url="https://www.notiziebaresi.example/cronaca/2023/12/05/bari-rete-lgnet2-sportelli-alloggi/",
    )
    copy = replace(record)
    assert zazoom.fix(root, record).title == ORIGINAL
    assert tostring(root) == before
    assert record == copy


# bad pages


def _cuts() -> list[int]:
    html, _ = load_fixture(FIXTURE)
    return list(range(0, len(html), len(html) // 17))


@pytest.mark.parametrize("cut", _cuts())
def test_a_truncated_zazoom_page_does_not_raise(cut: int) -> None:
    html, spec = load_fixture(FIXTURE)
    record = extract_page(html[:cut], spec["url"])
    assert record.url == spec["url"]
    assert record.title is None or "|" not in record.title


@pytest.mark.parametrize(
    "page",
    [
        "",
        "\x00\x01",
        "<h1> | </h1>",
        "<title>|</title><h1>|</h1>",
        '<meta property="og:title"><h1>Bari | LgNet2</h1>',
        '<meta property="og:title" content=" | Zazoom">',
        '<h1>Bari | LgNet2</h1><a href="http://[::1/x" title="Bari, LgNet2">Bari, LgNet2</a>',
        '<h1>Bari | LgNet2</h1><a title="Bari, LgNet2">senza indirizzo</a>',
        "<h1>Bari | LgNet2</h1><p><a href='/o'>x</a> “non chiuso</p>",
        "<svg><title>Icona | chiudi</title></svg><h1>Bari | <b>LgNet2</b></h1>",
    ],
)
def test_a_broken_or_partial_zazoom_page_does_not_raise(page: str) -> None:
    url = "https://www.zazoom.it/a/1/"
    for record in (
        Extracted(url=url),
        Extracted(url=url, title="Bari", site_name="LgNet2", attribution_url=f"{url}o"),
        extract_page(page, url),
    ):
        fixed = apply_publisher_hook(record, page, "utf-8")
        assert fixed.url == url
        assert fixed.title is None or "|" not in fixed.title


def test_a_hook_with_a_programming_error_is_not_silenced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(root: object, extracted: Extracted) -> Extracted:
        raise TypeError("a bug in the hook")

    monkeypatch.setattr(zazoom, "fix", broken)
    html, url = fixture_page()
    with pytest.raises(TypeError, match="a bug in the hook"):
        extract_page(html, url)
