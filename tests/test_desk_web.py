"""The desk in the browser (contract 5): sessions, CSRF, roles, slowed guessing, and an editor's
morning in Chromium against a real waitress server on loopback.

The rules are checked through Flask's test client (fast, exact status codes); the end-to-end
test drives Debian's chromium: log in, exclude, correct, highlight, approve, then read the
rassegna, its JSON download and the audit log, at desktop and phone widths.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from crawler.sources import load_sources
from enrichment.records import Article
from enrichment.registry import Registry, parse_registry
from search.backends.sqlite import SQLiteStore
from search.desk import accounts as accounts_module
from search.desk.accounts import FREE_FAILURES, Accounts
from search.desk.decisions import Desk
from search.files.data_dir import DataDir
from search.web.app import create_app
from search.web.outlet_names import DATALIST_UP_TO, SUGGESTIONS
from tests.browser import ConsoleWatch, desk_server, headless_chromium
from tests.conftest import run_cli

NOW = "2023-11-24T10:00:00+00:00"
PASSWORD = "una-password-lunga"
HOSTILE = "<script>alert(1)</script>"
SCREENS = Path("/work/notes/screens")
ITEMS = {
    "fuori": ("https://www.esempio.test/fuori-tema", "Fuori tema: LgNet2 e il calcio", 22),
    "refuso": ("https://www.esempio.test/refuso", "Sasari, mediatori di LgNet2", 23),
    "evidenza": ("https://www.esempio.test/evidenza", "Genova, LgNet2 apre lo sportello", 24),
    "ostile": ("https://www.esempio.test/ostile", f"LgNet2 {HOSTILE}", 21),
}


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its lightest parameters: the same code, a hundred times faster."""
    monkeypatch.setattr(
        accounts_module,
        "PasswordHasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )


def _data_dir(root: Path) -> Path:
    store = SQLiteStore(DataDir(root).items)
    for url, title, day in ITEMS.values():
        store.upsert(
            Article(
                url=url,
                outlet="Gazzetta di Prova",
                category="quotidiani",
                audience=1200,
                title=title,
                date=f"2023-11-{day}",
                journalist="Redazione",
                text="La rete LgNet2 porta i mediatori culturali nei servizi sociali.",
                mentions=1,
                city="Genova",
            ),
            now=NOW,
        )
    store.close()
    accounts = Accounts(DataDir(root).accounts)
    for name, role in (("anna", "editor"), ("bruno", "editor"), ("rita", "reader")):
        accounts.save(name, role, PASSWORD)
    accounts.save("root", "admin", PASSWORD)
    accounts.close()
    return root


def _stored_article(url: str, data_dir: Path) -> Article:
    store = SQLiteStore(DataDir(data_dir).items)
    try:
        stored = store.get(url)
    finally:
        store.close()
    assert stored is not None
    return stored.article


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return _data_dir(tmp_path)


@pytest.fixture
def app(data_dir: Path) -> Flask:
    def add_url(
        url: str,
        outlet: str | None,
        category: str | None,
        audience: int | None,
        date: str | None,
        actor: str,
    ) -> Article:
        """A small real ``rassegna add``: stores the item and logs who added it."""
        article = Article(
            url=url,
            outlet=outlet or "Sito aggiunto",
            category=category or "portali",
            audience=audience,
            title="Aggiunto a mano",
            date=date,
            text="Articolo aggiunto dal desk.",
            source="manual",
        )
        store = SQLiteStore(DataDir(data_dir).items)
        try:
            store.upsert(article, now=NOW)
        finally:
            store.close()
        Desk(DataDir(data_dir).desk).log_add(url, actor=actor)
        return article

    return create_app(data_dir, load_sources(), None, add_url=add_url, secret_key="prova")


def _token(client: FlaskClient, path: str = "/accedi") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _login(client: FlaskClient, name: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/accedi", data={"nome": name, "password": password, "csrf_token": _token(client)}
    )


def _signed_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert _login(client, name).status_code == 303
    return client


def _form(client: FlaskClient, key: str, **fields: str) -> dict[str, str]:
    url = ITEMS[key][0]
    version = Desk(DataDir(client.application.extensions["rassegna"].data_dir).desk).decision(url)
    return {
        "url": url,
        "version": str(version.version if version else 0),
        "csrf_token": _token(client, "/rivedi"),
        **fields,
    }


READ_PAGES = ("/", "/rivedi", "/cerca?q=mediatori", "/registro", "/aggiungi", "/utenti")
WRITES = (
    "/rivedi/escludi",
    "/rivedi/ripristina",
    "/rivedi/modifica",
    "/rivedi/evidenza",
    "/rivedi/approva",
    "/aggiungi",
    "/utenti/nuovo",
    "/utenti/ruolo",
    "/utenti/password",
    "/esci",
)


@pytest.mark.parametrize(
    "path", [*READ_PAGES, "/rassegna.json", "/rassegna.csv", "/testate/suggerimenti?q=eco"]
)
def test_a_get_without_session_goes_to_the_login_page(app: Flask, path: str) -> None:
    answer = app.test_client().get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/accedi?next=")
    assert HOSTILE not in answer.text


def test_login_page_and_static_files_need_no_session(app: Flask) -> None:
    client = app.test_client()
    login = client.get("/accedi")
    assert login.status_code == 200
    assert '<label for="password">Password</label>' in login.text
    assert 'href="/rivedi"' not in login.text  # no links that would only lead back here
    with client.get("/static/desk.css") as style:
        assert style.status_code == 200
        assert style.headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("path", WRITES)
def test_any_other_method_without_session_is_refused(app: Flask, path: str) -> None:
    answer = app.test_client().post(path, data={"url": ITEMS["fuori"][0]})
    assert answer.status_code == 401
    assert "Accedi" in answer.text


def test_a_write_without_csrf_token_is_a_400(app: Flask, data_dir: Path) -> None:
    client = _signed_in(app, "anna")
    form = _form(client, "fuori", motivo="fuori tema")
    del form["csrf_token"]
    answer = client.post("/rivedi/escludi", data=form)
    assert answer.status_code == 400
    assert "Modulo non valido" in answer.text
    assert Desk(DataDir(data_dir).desk).decisions() == {}
    bad = client.post("/rivedi/escludi", data={**form, "csrf_token": "falso"})
    assert bad.status_code == 400


def test_a_login_without_csrf_token_is_refused(app: Flask) -> None:
    answer = app.test_client().post("/accedi", data={"nome": "anna", "password": PASSWORD})
    assert answer.status_code == 400


def test_a_reader_reads_everything_but_cannot_write(app: Flask, data_dir: Path) -> None:
    client = _signed_in(app, "rita")
    for path in ("/", "/rivedi", "/cerca?q=mediatori", "/registro", "/rassegna.json"):
        assert client.get(path).status_code == 200, path
    review = client.get("/rivedi").text
    assert "Escludi" not in review
    assert "Per decidere serve un account «redazione»." in review
    for path in WRITES[:6]:
        answer = client.post(path, data=_form(client, "fuori", motivo="no"))
        assert answer.status_code == 403, path
    assert client.get("/utenti").status_code == 403
    assert Desk(DataDir(data_dir).desk).decisions() == {}


def test_wrong_password_is_said_in_italian_and_unknown_names_alike(app: Flask) -> None:
    client = app.test_client()
    for name in ("anna", "nessuno"):
        answer = _login(client, name, "sbagliata-davvero")
        assert answer.status_code == 401
        assert "Nome utente o password errati." in answer.text
    assert client.get("/rivedi").status_code == 302


def test_repeated_failures_are_slowed_per_account_and_per_address(app: Flask) -> None:
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for _ in range(FREE_FAILURES):
        assert _login(guesser, "anna", "tentativo-sbagliato").status_code == 401
    # The next failure locks the account and the address: even the right password waits.
    assert _login(guesser, "anna", "tentativo-sbagliato").status_code == 401
    locked = _login(guesser, "anna")
    assert locked.status_code == 429
    assert re.search(r"Troppi tentativi falliti: riprova tra \d+ secondi\.", locked.text)
    # From elsewhere the account is locked too; from this address so is every other name.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert _login(elsewhere, "anna").status_code == 429
    assert _login(guesser, "bruno").status_code == 429
    assert _login(elsewhere, "bruno").status_code == 303


def test_login_goes_back_only_to_a_page_of_this_site(app: Flask) -> None:
    client = app.test_client()
    answer = client.post(
        "/accedi",
        data={
            "nome": "anna",
            "password": PASSWORD,
            "csrf_token": _token(client),
            "next": "//x.test",
        },
    )
    assert answer.headers["Location"] == "/rivedi"
    assert client.get("/accedi?next=/cerca").headers["Location"] == "/cerca"


def test_an_editor_decides_and_a_stale_page_is_told_who_changed_it(
    app: Flask, data_dir: Path
) -> None:
    anna, bruno = _signed_in(app, "anna"), _signed_in(app, "bruno")
    stale = _form(bruno, "refuso", motivo="doppione")
    done = anna.post("/rivedi/modifica", data=_form(anna, "refuso", title="Sassari, mediatori"))
    assert done.status_code == 303
    answer = bruno.post("/rivedi/escludi", data=stale, follow_redirects=True)
    assert "è stata modificata nel frattempo da anna" in answer.text
    decision = Desk(DataDir(data_dir).desk).decision(ITEMS["refuso"][0])
    assert decision is not None
    assert (decision.excluded, decision.corrections) == (False, {"title": "Sassari, mediatori"})
    assert "Sassari, mediatori" in anna.get("/rivedi").text


def test_an_unusable_correction_is_refused_with_the_field(app: Flask, data_dir: Path) -> None:
    anna = _signed_in(app, "anna")
    answer = anna.post(
        "/rivedi/modifica", data=_form(anna, "refuso", title=""), follow_redirects=True
    )
    assert "Valore non accettato per «titolo»" in answer.text
    assert Desk(DataDir(data_dir).desk).decisions() == {}


def test_crawled_text_is_escaped_on_every_page(app: Flask) -> None:
    anna = _signed_in(app, "anna")
    for path in ("/rivedi", "/cerca?q=LgNet2", "/"):
        text = anna.get(path).text
        assert HOSTILE not in text, path
    assert "LgNet2 &lt;script&gt;alert(1)&lt;/script&gt;" in anna.get("/rivedi").text


def _registry_of(count: int) -> Registry:
    """``count`` outlets named ``Eco di Prova 0000``..., and one ``Provincia Eco``."""
    names = [f"Eco di Prova {i:04}" for i in range(count - 1)] + ["Provincia Eco"]
    return parse_registry(
        {
            "outlets": [
                {"name": name, "category": "quotidiani", "urls": [f"o{i}.test"]}
                for i, name in enumerate(names)
            ]
        }
    )


def _app_over(data_dir: Path, registry: Registry) -> Flask:
    """The desk over ``registry``, with an add function (the add page shows its form)."""

    def never_called(*_: object) -> Article:
        raise AssertionError("these tests add nothing")

    return create_app(data_dir, registry, None, add_url=never_called, secret_key="prova")


def test_a_small_registry_lists_every_outlet_in_the_pages(data_dir: Path) -> None:
    app = _app_over(data_dir, _registry_of(DATALIST_UP_TO))
    anna = _signed_in(app, "anna")
    review, adding = anna.get("/rivedi").text, anna.get("/aggiungi").text
    assert review.count('<option value="Eco di Prova') == DATALIST_UP_TO - 1
    assert 'list="rs-outlets"' in review
    assert adding.count('<option value="Eco di Prova') == DATALIST_UP_TO - 1


def test_a_large_registry_is_not_listed_in_every_page(data_dir: Path) -> None:
    """5,000 names would be most of every Da rivedere page: the field is a plain input."""
    app = _app_over(data_dir, _registry_of(5000))
    anna = _signed_in(app, "anna")
    review = anna.get("/rivedi")
    adding = anna.get("/aggiungi")
    for answer in (review, adding):
        assert answer.status_code == 200
        assert "<datalist" not in answer.text
        assert "Eco di Prova 0001" not in answer.text
    assert 'name="outlet" value="Gazzetta di Prova" required' in review.text
    assert len(review.data) < 40_000


def test_suggestions_match_the_start_first_then_anywhere_at_most_twenty(data_dir: Path) -> None:
    app = _app_over(data_dir, _registry_of(5000))
    rita = _signed_in(app, "rita")  # reading is enough
    answer = rita.get("/testate/suggerimenti?q=eco")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.json == ["Eco di Prova 0000", *[f"Eco di Prova {i:04}" for i in range(1, 20)]]
    assert len(answer.json) == SUGGESTIONS
    assert rita.get("/testate/suggerimenti?q=PROVA 0123").json == ["Eco di Prova 0123"]
    assert rita.get("/testate/suggerimenti?q=ncia ec").json == ["Provincia Eco"]
    assert rita.get("/testate/suggerimenti?q=%20%20").json == []
    assert rita.get("/testate/suggerimenti").json == []


def test_suggestions_are_a_json_string_whatever_the_name(data_dir: Path) -> None:
    registry = parse_registry(
        {"outlets": [{"name": f"Eco {HOSTILE}", "category": "quotidiani", "urls": ["x.test"]}]}
    )
    app = _app_over(data_dir, registry)
    answer = _signed_in(app, "rita").get("/testate/suggerimenti?q=eco")
    assert answer.json == [f"Eco {HOSTILE}"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_suggestions_need_a_session(data_dir: Path) -> None:
    app = _app_over(data_dir, _registry_of(10))
    answer = app.test_client().get("/testate/suggerimenti?q=eco")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/accedi?next=")
    assert "Eco di Prova" not in answer.text


def test_add_by_url_calls_the_add_function_and_the_item_waits_for_review(
    app: Flask, data_dir: Path
) -> None:
    anna = _signed_in(app, "anna")
    url = "https://www.altro.test/articolo"
    bad = anna.post("/aggiungi", data={"url": "ftp://x", "csrf_token": _token(anna, "/aggiungi")})
    assert bad.status_code == 400
    answer = anna.post(
        "/aggiungi",
        data={
            "url": url,
            "testata": "Altro Giornale",
            "categoria": "portali",
            "audience": "300",
            "data": "2023-11-25",
            "csrf_token": _token(anna, "/aggiungi"),
        },
        follow_redirects=True,
    )
    assert "Articolo aggiunto: https://www.altro.test/articolo" in answer.text
    assert "Aggiunto a mano" in answer.text
    assert _stored_article(url, data_dir).outlet == "Altro Giornale"
    [entry] = Desk(DataDir(data_dir).desk).audit(url=url)
    assert (entry.action, entry.actor) == ("add", "anna")


def test_admin_adds_a_user_and_a_password_reset_ends_their_sessions(app: Flask) -> None:
    root, rita = _signed_in(app, "root"), _signed_in(app, "rita")
    token = _token(root, "/utenti")
    created = root.post(
        "/utenti/nuovo",
        data={"nome": "carla", "ruolo": "editor", "password": PASSWORD, "csrf_token": token},
        follow_redirects=True,
    )
    assert "Utente «carla» creato." in created.text
    assert _signed_in(app, "carla").get("/rivedi").status_code == 200
    reset = root.post(
        "/utenti/password",
        data={"nome": "rita", "password": "nuova-password-lunga", "csrf_token": token},
    )
    assert reset.status_code == 303
    assert rita.get("/rivedi").status_code == 302
    demote = root.post(
        "/utenti/ruolo",
        data={"nome": "root", "ruolo": "reader", "csrf_token": token},
        follow_redirects=True,
    )
    assert "unico amministratore" in demote.text


def test_logout_ends_the_session(app: Flask) -> None:
    anna = _signed_in(app, "anna")
    assert anna.post("/esci", data={"csrf_token": _token(anna, "/rivedi")}).status_code == 303
    assert anna.get("/rivedi").status_code == 302


def test_serve_on_a_public_address_without_accounts_is_refused(tmp_path: Path) -> None:
    answer = run_cli("serve", "--host", "0.0.0.0", "--port", "0", data_dir=tmp_path, check=False)
    assert answer.returncode == 2
    assert answer.stderr.count("\n") == 1
    assert answer.stderr.startswith("rassegna serve: refusing to listen on 0.0.0.0")


def test_users_add_reads_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASSEGNA_PASSWORD", raising=False)
    missing = run_cli("users", "add", "anna", "--role", "editor", data_dir=tmp_path, check=False)
    assert (missing.returncode, missing.stderr.count("\n")) == (2, 1)
    assert "RASSEGNA_PASSWORD" in missing.stderr
    monkeypatch.setenv("RASSEGNA_PASSWORD", PASSWORD)
    made = run_cli("users", "add", "anna", "--role", "editor", data_dir=tmp_path)
    assert made.stdout == "Created anna (editor)\n"
    assert PASSWORD not in made.stdout + made.stderr
    accounts = Accounts(DataDir(tmp_path).accounts)
    try:
        account = accounts.verify("anna", PASSWORD)
        assert account is not None
        assert account.role == "editor"
    finally:
        accounts.close()
    assert DataDir(tmp_path).accounts.stat().st_mode & 0o077 == 0
    assert PASSWORD not in DataDir(tmp_path).accounts.read_bytes().decode("latin-1")


# --- in Chromium, against waitress on loopback ------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = _data_dir(tmp_path_factory.mktemp("desk-data"))
    with desk_server(data_dir, load_sources()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as chromium:
        yield chromium


def _shoot(page: Page, folder: Path, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        path = folder / f"{name}-{width}.png"
        page.screenshot(path=path, full_page=True)
        if width == 390 and name != "rassegna":
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 390, f"{name} scrolls sideways on a phone ({wide} px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def _item(page: Page, key: str) -> Any:
    return page.locator("article.rs-item").filter(has=page.locator(f'a[href="{ITEMS[key][0]}"]'))


def test_an_editor_morning_in_chromium(
    served: str, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shots = tmp_path_factory.mktemp("desk-screens")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    watch = ConsoleWatch(page)

    page.goto(served + "/rivedi")
    expect(page).to_have_url(re.compile(r"/accedi\?next=/rivedi$"))
    _shoot(page, shots, "accedi")
    page.get_by_label("Nome utente").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(served + "/rivedi")
    page.keyboard.press("Tab")  # the first stop is the skip link, and it works
    assert page.evaluate("document.activeElement.textContent") == "Vai al contenuto"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenuto"
    titles = page.locator("article.rs-item h2").all_inner_texts()
    assert titles == [ITEMS[k][1] for k in ("evidenza", "refuso", "fuori", "ostile")]

    _item(page, "fuori").get_by_label("Motivo dell'esclusione").fill("parla di calcio")
    _item(page, "fuori").get_by_role("button", name="Escludi").click()
    expect(page.locator(".rs-flash")).to_contain_text("esclusa dalla rassegna")
    refuso = _item(page, "refuso")
    refuso.get_by_text("Correggi i dati").click()
    new_title = "Sassari, mediatori di LgNet2"
    refuso.get_by_label("Titolo").fill(new_title)
    refuso.get_by_label("Giornalista").fill("A. Gipponi")
    refuso.get_by_role("button", name="Salva le correzioni").click()
    expect(page.locator(".rs-flash")).to_contain_text("corretta")
    _item(page, "evidenza").get_by_role("button", name="Metti in evidenza").click()
    expect(page.locator(".rs-flash")).to_contain_text("in evidenza")
    _shoot(page, shots, "da-rivedere")
    _item(page, "refuso").get_by_role("button", name="Approva").click()
    expect(page.locator(".rs-flash")).to_contain_text("approvata")
    assert _item(page, "refuso").count() == 0

    page.get_by_role("link", name="Rassegna", exact=True).click()
    text = page.inner_text("body")
    assert "Fuori tema" not in text
    assert "Sassari, mediatori di LgNet2" in text
    assert "Sasari," not in text
    assert page.inner_text("#numero-uscite") == "3"
    _shoot(page, shots, "rassegna")
    snapshot = page.request.get(served + "/rassegna.json").json()
    by_url = {item["url"]: item for item in snapshot["items"]}
    assert set(by_url) == {ITEMS[k][0] for k in ("refuso", "evidenza", "ostile")}
    assert by_url[ITEMS["refuso"][0]]["title"] == "Sassari, mediatori di LgNet2"
    assert by_url[ITEMS["refuso"][0]]["journalist"] == "A. Gipponi"
    assert [u for u, item in by_url.items() if item.get("highlight")] == [ITEMS["evidenza"][0]]
    assert snapshot["total"]["uscite"] == 3

    page.get_by_role("link", name="Registro modifiche").click()
    rows = page.eval_on_selector_all(
        "tr.rs-entry", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    changes = [(r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]
    assert changes == [
        ("anna", ITEMS["refuso"][0], "approvata", "revisione", "no", "sì"),
        ("anna", ITEMS["evidenza"][0], "in evidenza", "evidenza", "no", "sì"),
        ("anna", ITEMS["refuso"][0], "corretta", "giornalista", "Redazione", "A. Gipponi"),
        ("anna", ITEMS["refuso"][0], "corretta", "titolo", ITEMS["refuso"][1], new_title),
        ("anna", ITEMS["fuori"][0], "esclusa", "esclusione", "", "parla di calcio"),
    ]  # fmt: skip
    _shoot(page, shots, "registro")
    page.goto(served + "/cerca?q=mediatori")
    _shoot(page, shots, "cerca")
    assert page.evaluate("document.scripts.length") == 0
    assert watch.errors == []
    context.close()
    SCREENS.mkdir(parents=True, exist_ok=True)
    for shot in shots.glob("*.png"):
        shutil.copy(shot, SCREENS / shot.name)
