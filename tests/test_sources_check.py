"""``rassegna sources check`` on a simulated web whose sites drifted from the registry.

The check runs once per module (``--json --fix``) and once more for the terminal report; each
test reads one aspect: exactly the broken entry points are flagged, the JSON has contract 7's
shape, ``--fix`` replaces only what is broken and keeps the file's comments and order, the
check is polite, and a crawl with the fixed registry finds the mentions the broken one missed.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from crawler.app.cli import main
from crawler.app.commands.serve import flagged_outlets
from crawler.app.status import collect_status
from crawler.state import CrawlState, OutletRun
from enrichment.registry import load_registry
from search.desk.accounts import Accounts
from search.files.data_dir import DataDir
from search.web.app import create_app
from simweb import registry_check as sim
from simweb.server import Web
from tests.conftest import run_cli

DELAY = 0.2
FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")

REGISTRY = """\
# Registro di prova: sette testate, scritto senza aver visitato i siti.
topic:
  name: LgNet2
  query: lgnet2

outlets:
  # ------------------------------------------------ Nord
  - name: "Eco di Trieste"  # feed spostato dopo il rifacimento del sito
    category: quotidiani
    city: Trieste
    urls: ["www.ecotrieste.test"]
    feeds: ["https://www.ecotrieste.test/rss.xml"]  # indirizzo del vecchio sito

  - name: Gazzetta del Lario
    category: quotidiani
    city: Como
    urls: [www.gazzettalario.test]
    feeds:
      - https://www.gazzettalario.test/feed/  # scritto a mano

  - name: Voce del Sannio
    category: quotidiani
    urls: ["www.vocesannio.test"]
    # la sitemap abituale, supposta
    sitemaps: ["https://www.vocesannio.test/sitemap.xml"]

  - name: Cuneo Sera
    category: quotidiani
    urls: ["www.cuneosera.test"]
    feeds: ['https://www.cuneosera.test/rss/']

  # ------------------------------------------------ Centro e Sud
  - name: Il Faro di Pesaro
    category: quotidiani
    urls: ["www.farodipesaro.test"]
    feeds: ["https://www.farodipesaro.test/feed.xml"]  # funziona
    pages:
      - https://www.farodipesaro.test/cronaca/
      - https://www.farodipesaro.test/ultime/  # le ultime notizie

  - name: Radio Tirreno
    category: radio_tv
    feeds: ["https://www.radiotirreno.test/feed/"]

  - name: Notizie Estinte
    category: periodici
    closed: 2024-03-31  # ultimo numero
    feeds: ["https://www.notizieestinte.test/feed/"]
"""


@dataclass
class Checked:
    web: Web
    registry: Path
    fixed: Path
    findings: list[dict[str, Any]]
    by_outlet: dict[str, dict[str, Any]]
    fix_message: str
    text: str
    hits: int
    """Requests the web had answered after both checks."""
    first_hits: int
    """Requests the web had answered after the first check: each check is its own command, so
    it keeps its own pace (the second may start right after the first ended)."""


def check(web: Web, *args: str) -> tuple[int, str, str]:
    """``rassegna sources check ARGS`` in this process: (exit status, stdout, stderr)."""
    connect = [a for rule in sim.rules(web) for a in ("--connect-to", rule)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["sources", "check", *connect, "--delay", str(DELAY), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    folder = tmp_path_factory.mktemp("sources-check")
    registry = folder / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    fixed = folder / "fixed.yaml"
    with sim.build_web() as web:
        code, out, fix_message = check(
            web, "--sources", str(registry), "--json", "--fix", str(fixed)
        )
        assert code == 0, fix_message
        findings = json.loads(out)
        first_hits = len(web.hits)
        code, text, err = check(web, "--sources", str(registry))
        assert code == 0, err
        yield Checked(
            web,
            registry,
            fixed,
            findings,
            {o["outlet"]: o for o in findings},
            fix_message,
            text,
            len(web.hits),
            first_hits,
        )


def test_exactly_the_broken_entry_points_are_flagged(checked: Checked) -> None:
    entries = [e for o in checked.findings for e in o["entry_points"]]
    assert {e["url"] for e in entries if not e["ok"]} == set(sim.BROKEN)
    assert {e["url"] for e in entries if e["ok"]} == {
        "https://www.farodipesaro.test/feed.xml",
        "https://www.farodipesaro.test/cronaca/",
    }
    statuses = {e["url"]: e["status"] for e in entries}
    assert statuses["https://www.ecotrieste.test/rss.xml"] == 404
    assert statuses["https://www.radiotirreno.test/feed/"] == 500
    assert statuses["https://www.gazzettalario.test/feed/"] is None  # no answer at all


def test_json_has_the_contract_shape(checked: Checked) -> None:
    assert [o["outlet"] for o in checked.findings] == [
        "Eco di Trieste",
        "Gazzetta del Lario",
        "Voce del Sannio",
        "Cuneo Sera",
        "Il Faro di Pesaro",
        "Radio Tirreno",
        "Notizie Estinte",
    ]
    for outlet in checked.findings:
        assert {"outlet", "entry_points", "suggestions"} <= outlet.keys()
        for entry in outlet["entry_points"]:
            assert {"url", "kind", "status", "ok", "articles"} <= entry.keys()
            assert entry["kind"] in ("feed", "sitemap", "listing", "search")
            assert isinstance(entry["ok"], bool)
        for suggestion in outlet["suggestions"]:
            assert {"url", "kind", "articles"} <= suggestion.keys()
    faro = checked.by_outlet["Il Faro di Pesaro"]
    assert [e["articles"] for e in faro["entry_points"]] == [1, 1, None]
    drawn = faro["entry_points"][2]
    assert (drawn["ok"], drawn["status"]) == (False, 200)
    assert "non elenca articoli (li aggiunge forse JavaScript" in drawn["reason"]
    closed = checked.by_outlet["Notizie Estinte"]
    assert (closed["closed"], closed["entry_points"], closed["suggestions"]) == (
        "2024-03-31",
        [],
        [],
    )


def test_discovery_finds_what_each_site_offers(checked: Checked) -> None:
    def offered(outlet: str) -> dict[str, tuple[str, int]]:
        found = checked.by_outlet[outlet]["suggestions"]
        return {s["url"]: (s["kind"], s["articles"]) for s in found}

    assert offered("Eco di Trieste")["https://www.ecotrieste.test/notizie/feed.xml"] == ("feed", 2)
    assert offered("Gazzetta del Lario")["https://gazzettalario.test/feed/"] == ("feed", 1)
    sannio = offered("Voce del Sannio")
    assert sannio["https://www.vocesannio.test/mappe/notizie.xml"] == ("sitemap", 1)
    cuneo = offered("Cuneo Sera")
    assert cuneo["https://www.cuneosera.test/feed/"] == ("feed", 1)
    assert cuneo["https://www.cuneosera.test/wp-json/wp/v2/posts?search=lgnet2"] == ("search", 1)
    assert checked.by_outlet["Cuneo Sera"]["cms"] == "WordPress 6.4.2"
    assert offered("Radio Tirreno") == {}
    assert offered("Il Faro di Pesaro") == {}  # its announced feed is the registry's
    lario_notes = " ".join(checked.by_outlet["Gazzetta del Lario"]["notes"])
    assert "www.gazzettalario.test non risponde" in lario_notes
    assert "risponde su gazzettalario.test" in lario_notes


def test_terminal_report_in_italian(checked: Checked) -> None:
    text = checked.text
    assert "✗ feed     https://www.ecotrieste.test/rss.xml — HTTP 404, pagina non trovata" in text
    assert "✓ feed     https://www.farodipesaro.test/feed.xml — HTTP 200, 1 articolo" in text
    assert "✗ feed     https://www.radiotirreno.test/feed/ — HTTP 500, errore del server" in text
    assert "connessione rifiutata" in text
    assert "→ sitemap  https://www.vocesannio.test/mappe/notizie.xml" in text
    assert "(indicata in robots.txt)" in text
    assert "Cuneo Sera  [WordPress 6.4.2]" in text
    assert "Notizie Estinte — chiusa dal 2024-03-31: non controllata" in text
    assert text.rstrip().endswith(
        "Riepilogo: 6 testate controllate, 1 chiuse; 8 punti d'ingresso, 6 non funzionanti; "
        f"{sum(len(o['suggestions']) for o in checked.findings)} suggerimenti."
    )


def test_fix_replaces_only_the_broken_entry_points(checked: Checked) -> None:
    before = load_registry(checked.registry)
    after = load_registry(checked.fixed)
    for old, new in zip(before.outlets, after.outlets, strict=True):
        assert old.name == new.name
        for key in ("feeds", "sitemaps", "pages", "search"):
            want = tuple(sim.BROKEN.get(u) or u for u in getattr(old, key))
            assert getattr(new, key) == want, (old.name, key)
    assert after.outlet("Notizie Estinte").closed == "2024-03-31"
    assert "4 punti d'ingresso sostituiti, 2 non funzionanti" in checked.fix_message


def test_fix_keeps_comments_order_and_quoting(checked: Checked) -> None:
    original = REGISTRY.splitlines()
    fixed = checked.fixed.read_text(encoding="utf-8").splitlines()
    added = [line for line in fixed if "rassegna sources check" in line]
    assert len(added) == 6  # four replacements, Radio Tirreno's and the JavaScript listing's
    assert any("radiotirreno.test/feed/ non funziona (HTTP 500," in line for line in added)
    # Apart from the added comments, only the broken URLs changed, line for line.
    kept = [line for line in fixed if line not in added]
    assert len(kept) == len(original)
    for was, now in zip(original, kept, strict=True):
        if was != now:
            url = re.search(r"https://[^\"' \]]+", was)
            assert url is not None, (was, now)
            assert url.group(0) in sim.BROKEN, (was, now)
            # A longer URL pushes its end-of-line comment right: spacing may shrink.
            want = was.replace(url.group(0), sim.BROKEN[url.group(0)] or "")
            assert re.sub(r" +#", " #", now) == re.sub(r" +#", " #", want)
    assert "    feeds: ['https://www.cuneosera.test/feed/']" in fixed


def test_fix_refuses_a_target_that_exists(checked: Checked) -> None:
    hits = len(checked.web.hits)
    code, out, err = check(
        checked.web, "--sources", str(checked.registry), "--fix", str(checked.fixed)
    )
    assert code == 2
    assert (
        err.strip()
        == f"rassegna sources: {checked.fixed}: already exists; give a new file for --fix"
    )
    assert out == ""
    assert len(checked.web.hits) == hits  # refused before fetching anything


def test_closed_outlet_is_never_fetched_and_hosts_are_asked_politely(checked: Checked) -> None:
    hits = checked.web.hits[: checked.hits]
    assert not [h for h in hits if h.host == sim.ESTINTE.host]
    assert all(h.headers.get("User-Agent", "").startswith("rassegna/") for h in hits)
    for run in (hits[: checked.first_hits], hits[checked.first_hits :]):
        by_host: dict[str, list[float]] = {}
        for hit in run:
            by_host.setdefault(hit.host, []).append(hit.at)
        for host, times in by_host.items():
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert min(gaps, default=DELAY) >= DELAY * 0.9, host


def test_an_unknown_outlet_is_one_line(checked: Checked) -> None:
    code, _, err = check(checked.web, "--sources", str(checked.registry), "--outlet", "Nessuna")
    assert code == 2
    assert "Nessuna" in err
    assert "\n" not in err.strip()


@pytest.mark.slow
def test_a_crawl_with_the_fixed_registry_finds_what_the_broken_one_missed(
    checked: Checked, tmp_path: Path
) -> None:
    def mentions(registry: Path, data_dir: Path) -> set[str]:
        connect = [a for rule in sim.rules(web) for a in ("--connect-to", rule)]
        run_cli("crawl", "--sources", str(registry), *connect, "--json", *FAST, data_dir=data_dir)
        result = run_cli(
            "snapshot", "--format", "json", "--sources", str(registry), data_dir=data_dir
        )
        return {i["url"] for i in json.loads(result.stdout)["items"] if i["mentions"] > 0}

    with sim.build_web() as web:
        broken = mentions(checked.registry, tmp_path / "broken")
        fixed = mentions(checked.fixed, tmp_path / "fixed")
    everything = {site.url(story.path) for site, story in sim.MENTIONS.items()}
    assert broken == {sim.FARO.url(sim.MENTIONS[sim.FARO].path)}
    assert fixed == everything

    status = run_cli(
        "status", "--json", "--sources", str(checked.registry), data_dir=tmp_path / "broken"
    )
    flagged = {o["outlet"] for o in json.loads(status.stdout)["outlets"] if o["flags"]}
    assert flagged == {
        "Eco di Trieste",
        "Gazzetta del Lario",
        "Voce del Sannio",
        "Cuneo Sera",
        "Radio Tirreno",
    }


def _run(outlet: str, finished: str, *, articles: int, failed: int = 0) -> OutletRun:
    return OutletRun(
        outlet=outlet,
        started=finished,
        finished=finished,
        result="errors" if failed else "ok",
        articles=articles,
        new_items=articles,
        errors=failed,
        last_error="HTTP 404" if failed else None,
        entry_points=2,
        entry_points_failed=failed,
        last_new=finished,
    )


def test_status_flags_failing_and_quiet_outlets(tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    state = CrawlState(DataDir(tmp_path).crawl_state)
    try:
        state.record_outlet_runs(
            [
                _run("Eco di Trieste", "2023-11-01T06:00:00+00:00", articles=3),
                _run("Il Faro di Pesaro", "2023-11-01T06:00:00+00:00", articles=2),
            ]
        )
        state.record_outlet_runs(
            [
                _run("Eco di Trieste", "2023-11-21T06:00:00+00:00", articles=0),
                _run("Il Faro di Pesaro", "2023-11-21T06:00:00+00:00", articles=1),
                _run("Radio Tirreno", "2023-11-21T06:00:00+00:00", articles=0, failed=2),
            ]
        )
    finally:
        state.close()
    status = collect_status(tmp_path, load_registry(registry), now="2023-11-21T07:00:00+00:00")
    flags = {o["outlet"]: o["flags"] for o in status["outlets"]}
    assert flags["Eco di Trieste"] == ["i feed non elencano nulla di nuovo da 20 giorni"]
    assert flags["Radio Tirreno"] == ["tutti i punti d'ingresso hanno fallito nell'ultimo crawl"]
    assert flags["Il Faro di Pesaro"] == []
    assert flags["Notizie Estinte"] == []  # closed, never crawled


@pytest.mark.usefixtures("cheap_hashes")
def test_the_desk_shows_the_outlets_status_flags(tmp_path: Path) -> None:
    """Da rivedere lists the flagged outlets, read from the crawl state as ``rassegna serve``
    reads them (``flagged_outlets``), so an outlet gone quiet is seen where the office works."""
    registry_file = tmp_path / "sources.yaml"
    registry_file.write_text(REGISTRY, encoding="utf-8")
    state = CrawlState(DataDir(tmp_path).crawl_state)
    try:
        state.record_outlet_runs(
            [_run("Radio Tirreno", "2023-11-21T06:00:00+00:00", articles=0, failed=2)]
        )
    finally:
        state.close()
    accounts = Accounts(DataDir(tmp_path).accounts)
    accounts.save("anna", "editor", "una-password-lunga")
    accounts.close()
    registry = load_registry(registry_file)
    app = create_app(
        tmp_path, registry, None, outlet_flags=partial(flagged_outlets, tmp_path), secret_key="x"
    )
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/accedi").text)
    assert token is not None
    form = {"nome": "anna", "password": "una-password-lunga", "csrf_token": token.group(1)}
    assert client.post("/accedi", data=form).status_code == 303
    page = client.get("/rivedi").text
    assert "Testate da controllare" in page
    assert (
        "<strong>Radio Tirreno</strong>: tutti i punti d&#39;ingresso hanno fallito "
        "nell&#39;ultimo crawl"
    ) in page
    assert (
        "Il Faro di Pesaro"
        not in page.partition("Testate da controllare")[2].partition("</section>")[0]
    )
