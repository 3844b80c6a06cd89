"""Edizioni on the desk (contracts 5 and 6): the archive of editions, one edition's page, its
frozen documents, and an editor's new draft, approval and send.

The rules go through Flask's test client, with no Chromium (approval then freezes every
format but the PDF, in a fraction of a second): who may read and who may write, CSRF, the
Italian 404 pages, bad periods, a send to a mail server that is down. The end-to-end test
drives Debian's chromium against waitress on loopback: an editor makes, approves and sends an
edition to a real SMTP server (aiosmtpd), then a reader downloads its frozen PDF.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from crawler.sources import load_sources
from search.backends.sqlite import SQLiteStore
from search.desk.accounts import Accounts
from search.editions.freeze import approve_edition, new_edition
from search.editions.store import open_editions
from search.files.data_dir import DataDir
from search.web.app import create_app
from tests.browser import ConsoleWatch, desk_server, headless_chromium
from tests.editions_data import WEEK_1, WEEK_2, fill_store
from tests.receivers import SMTPReceiver

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "una-password-lunga"
HOSTILE = "<script>alert(1)</script>"
SCREENS = Path("/work/notes/screens")
WRITES = ("/edizioni/nuova", "/edizioni/1/approva", "/edizioni/1/invia")


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No recipients, public address or retry delays from the machine running the tests."""
    for name in ("RASSEGNA_EDITION_URLS", "RASSEGNA_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RASSEGNA_EDITION_RETRY_DELAYS", "0")


def _data_dir(root: Path, *, people: bool = True) -> Path:
    """The four uscite of ``tests.editions_data``; anna edits, rita reads."""
    fill_store(root)
    if people:
        accounts = Accounts(DataDir(root).accounts)
        accounts.save("anna", "editor", PASSWORD)
        accounts.save("rita", "reader", PASSWORD)
        accounts.close()
    return root


def _editions(data_dir: Path) -> list[tuple[int, str]]:
    if not DataDir(data_dir).editions.exists():
        return []
    with open_editions(data_dir) as book:
        return [(e.number, e.state) for e in book.editions()]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Edition 1 (first week of October) approved without Chromium, so without a PDF;
    edition 2 (the second week) a draft."""
    monkeypatch.setenv("RASSEGNA_CHROMIUM", "no-such-browser")
    root = _data_dir(tmp_path / "data")
    store = SQLiteStore(DataDir(root).items)
    try:
        new_edition(root, store, since=WEEK_1[0], until=WEEK_1[1], title="Ottobre", actor="anna")
        approve_edition(root, store, load_sources(), 1, actor="anna")
        new_edition(root, store, since=WEEK_2[0], until=WEEK_2[1], actor="anna")
    finally:
        store.close()
    return root


@pytest.fixture
def app(data_dir: Path) -> Flask:
    return create_app(data_dir, load_sources(), None, secret_key="prova")


def _token(client: FlaskClient, path: str = "/accedi") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None, path
    return found.group(1)


def _signed_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    answer = client.post(
        "/accedi", data={"nome": name, "password": PASSWORD, "csrf_token": _token(client)}
    )
    assert answer.status_code == 303
    return client


def _post(client: FlaskClient, path: str, **fields: str) -> Any:
    """Post a form of the Edizioni pages as the browser does, token included; the page it
    lands on."""
    data = {"csrf_token": _token(client, "/edizioni"), **fields}
    return client.post(path, data=data, follow_redirects=True)


def _flash(answer: Any) -> list[str]:
    return re.findall(r'<p class="rs-flash[^"]*"[^>]*>([^<]*)</p>', answer.text)


@pytest.mark.parametrize("path", ["/edizioni", "/edizioni/1", "/edizioni/1/rassegna.html"])
def test_a_get_without_session_goes_to_the_login_page(app: Flask, path: str) -> None:
    answer = app.test_client().get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/accedi?next={path}"


@pytest.mark.parametrize("path", WRITES)
def test_a_post_without_session_is_refused(app: Flask, data_dir: Path, path: str) -> None:
    answer = app.test_client().post(path, data={"dal": WEEK_2[0], "al": WEEK_2[1]})
    assert answer.status_code == 401
    assert _editions(data_dir) == [(2, "draft"), (1, "approved")]


def test_a_reader_lists_and_downloads_but_every_write_is_refused(
    app: Flask, data_dir: Path
) -> None:
    rita = _signed_in(app, "rita")
    listing = rita.get("/edizioni")
    assert listing.status_code == 200
    rows = re.findall(r'<tr class="rs-edition">.*?</tr>', listing.text, re.DOTALL)
    assert [re.search(r'data-label="Numero">(\d+)<', r).group(1) for r in rows] == ["2", "1"]  # type: ignore[union-attr]
    assert "dal 1 ottobre 2023 al 7 ottobre 2023" in rows[1]
    assert ">approvata<" in rows[1]
    assert ">bozza<" in rows[0]
    assert "dopo l'approvazione" in rows[0]
    for label in ("HTML", "Word", "Markdown", "JSON"):
        assert f'>{label}<span class="rs-hide"> dell\'edizione n. 1</span></a>' in rows[1]
    assert ">PDF<" not in rows[1]  # approved without Chromium
    assert "Nuova bozza" not in listing.text
    assert 'href="/edizioni"' in listing.text  # the nav link

    with rita.get("/edizioni/1/rassegna.docx") as word:  # a file streamed: close it
        assert word.status_code == 200
        assert word.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        assert word.headers["Content-Disposition"] == (
            "attachment; filename=rassegna-edizione-1.docx"
        )
        frozen = DataDir(data_dir).edition_files / "1" / "rassegna.docx"
        assert word.data == frozen.read_bytes()
    with rita.get("/edizioni/1/rassegna.html") as page:
        assert page.headers["Content-Disposition"] == "inline; filename=rassegna-edizione-1.html"

    edition = rita.get("/edizioni/1").text
    assert "Approva</button>" not in edition
    assert "Invia</button>" not in edition
    assert "PDF non prodotto" in edition  # the core's note, said to the office
    token = _token(rita, "/edizioni")
    for path in WRITES:
        answer = rita.post(path, data={"csrf_token": token, "dal": WEEK_2[0], "al": WEEK_2[1]})
        assert answer.status_code == 403, path
        assert "Non permesso" in answer.text
    assert _editions(data_dir) == [(2, "draft"), (1, "approved")]


def test_a_write_without_a_csrf_token_is_refused(app: Flask, data_dir: Path) -> None:
    anna = _signed_in(app, "anna")
    for token in ({}, {"csrf_token": "falso"}):
        answer = anna.post("/edizioni/2/approva", data=token)
        assert answer.status_code == 400
        assert "Modulo non valido" in answer.text
    assert _editions(data_dir) == [(2, "draft"), (1, "approved")]


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/edizioni/9", "Non esiste un&#39;edizione n. 9"),
        ("/edizioni/9/rassegna.docx", "Non esiste un&#39;edizione n. 9"),
        ("/edizioni/9/anteprima", "Non esiste un&#39;edizione n. 9"),
        ("/edizioni/2/rassegna.html", "è una bozza: i documenti si congelano"),
        ("/edizioni/1/rassegna.pdf", "non ha il PDF. PDF non prodotto: Chromium"),
        ("/edizioni/1/rassegna.exe", "Le edizioni non hanno un formato «exe»"),
        ("/edizioni/uno", "Questo indirizzo non esiste."),
    ],
)
def test_what_is_not_there_is_an_italian_404(app: Flask, path: str, says: str) -> None:
    answer = _signed_in(app, "rita").get(path)
    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert says in answer.text


def test_a_frozen_file_gone_missing_is_said_so(app: Flask, data_dir: Path) -> None:
    (DataDir(data_dir).edition_files / "1" / "rassegna.md").unlink()
    answer = _signed_in(app, "rita").get("/edizioni/1/rassegna.md")
    assert answer.status_code == 404
    assert "va ripristinato da un backup" in answer.text


@pytest.mark.parametrize(
    ("since", "until", "says"),
    [
        ("", WEEK_2[1], "Indica il primo e l&#39;ultimo giorno del periodo."),
        ("2023-10-32", WEEK_2[1], "«2023-10-32» non è una data"),
        (WEEK_2[1], WEEK_2[0], "Il periodo finisce (8 ottobre 2023) prima di cominciare"),
        ("2023-12-01", "2023-12-31", "Nessuna uscita dal 1 dicembre 2023 al 31 dicembre 2023"),
    ],
)
def test_a_bad_period_is_said_on_the_page_and_creates_nothing(
    app: Flask, data_dir: Path, since: str, until: str, says: str
) -> None:
    anna = _signed_in(app, "anna")
    typed = {"dal": since, "al": until, "titolo": "Prova"}
    answer = anna.post("/edizioni/nuova", data={**typed, "csrf_token": _token(anna, "/edizioni")})
    assert answer.status_code == 400
    assert f'<p class="rs-problem" role="alert" id="nuova-problema">{says}' in answer.text
    assert 'value="Prova"' in answer.text  # what was typed stays in the form
    assert _editions(data_dir) == [(2, "draft"), (1, "approved")]


def test_an_editor_makes_a_draft_previews_and_approves_it(app: Flask, data_dir: Path) -> None:
    anna = _signed_in(app, "anna")
    made = _post(anna, "/edizioni/nuova", dal="2023-10-01", al="2023-10-14", titolo=HOSTILE)
    assert made.request.path == "/edizioni/3"
    assert _flash(made) == [
        "Edizione n. 3 — &lt;script&gt;alert(1)&lt;/script&gt;: bozza creata con 4 uscite. "
        "Controlla l&#39;anteprima, poi approvala."
    ]
    assert HOSTILE not in made.text
    assert HOSTILE not in anna.get("/edizioni").text
    preview = anna.get("/edizioni/3/anteprima")
    assert preview.status_code == 200
    assert "Anteprima della bozza" in preview.text
    assert "Sassari, tappa di LgNet2" in preview.text
    assert HOSTILE not in preview.text

    approved = _post(anna, "/edizioni/3/approva")
    assert _flash(approved)[0].startswith("Edizione n. 3 — &lt;script&gt;")
    assert "approvata: 4 uscite, documenti congelati." in _flash(approved)[0]
    assert "Anteprima" not in approved.text
    assert 'Word<span class="rs-hide"> dell\'edizione n. 3</span></a>' in approved.text
    again = _post(anna, "/edizioni/3/approva")
    assert "è già approvata" in _flash(again)[0]
    assert anna.get("/edizioni/3/anteprima").headers["Location"] == "/edizioni/3/rassegna.html"


def test_a_send_with_the_mail_server_down_is_one_line_and_leaves_it_approved(
    app: Flask, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = SMTPReceiver(login=("rassegna", "segreta-smtp"))  # never started: nobody listens
    monkeypatch.setenv("RASSEGNA_EDITION_URLS", down.url(to="stampa@comune.example"))
    anna = _signed_in(app, "anna")
    answer = _post(anna, "/edizioni/1/invia")
    [line] = _flash(answer)
    assert line.startswith("Invio interrotto: mailto://")
    assert "1 destinatari in attesa: riprova più tardi con «Invia»" in line
    assert "segreta-smtp" not in answer.text
    assert 'class="rs-flash rs-error"' in answer.text
    assert _editions(data_dir) == [(2, "draft"), (1, "approved")]
    assert ">non riuscita<" in answer.text
    assert "inviata a 0 di 1" in anna.get("/edizioni").text


def test_a_send_reaches_the_recipients_and_again_needs_the_box_ticked(
    app: Flask, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SMTPReceiver() as smtp:
        people = ("stampa@comune.example", "sindaco@comune.example")
        monkeypatch.setenv("RASSEGNA_EDITION_URLS", " ".join(smtp.url(to=p) for p in people))
        anna = _signed_in(app, "anna")
        assert "Invia</button>" not in anna.get("/edizioni/2").text  # a draft is not sent
        refused = _post(anna, "/edizioni/2/invia")
        assert _flash(refused) == ["L&#39;edizione n. 2 non si può inviare: va prima approvata."]
        sent = _post(anna, "/edizioni/1/invia")
        assert _flash(sent) == ["Edizione n. 1 — Ottobre inviata a 2 destinatari."]
        assert len(smtp.messages) == 2
        assert sent.text.count(">inviata</span>") == 3  # the state and both recipients
        assert "Invia di nuovo</button>" in sent.text
        unticked = _post(anna, "/edizioni/1/invia", di_nuovo="1")
        assert _flash(unticked) == ["Per inviarla di nuovo a tutti spunta la conferma."]
        assert len(smtp.messages) == 2
        resent = _post(anna, "/edizioni/1/invia", di_nuovo="1", conferma="1")
        assert _flash(resent) == ["Edizione n. 1 — Ottobre inviata a 2 destinatari."]
        assert len(smtp.messages) == 4
        assert "(invio n. 2)" in resent.text


def test_without_accounts_the_loopback_viewer_reads_editions_but_writes_nothing(
    tmp_path: Path,
) -> None:
    root = _data_dir(tmp_path / "data", people=False)
    client = create_app(root, load_sources(), None, secret_key="prova").test_client()
    listing = client.get("/edizioni")
    assert listing.status_code == 200
    assert "Nessuna edizione ancora." in listing.text
    assert not DataDir(root).editions.exists()  # reading creates nothing
    answer = client.post(
        "/edizioni/nuova",
        data={"dal": WEEK_1[0], "al": WEEK_1[1], "csrf_token": _token(client)},
    )
    assert answer.status_code == 403
    assert _editions(root) == []


# --- in Chromium, against waitress on loopback ------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as chromium:
        yield chromium


def _sign_in(page: Page, base: str, name: str) -> None:
    page.goto(base + "/edizioni")
    expect(page).to_have_url(re.compile(r"/accedi\?next=/edizioni$"))
    page.get_by_label("Nome utente").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(base + "/edizioni")


def _shoot(page: Page, name: str) -> None:
    """Screenshots at desktop and phone width; a page must never scroll sideways."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} scrolls sideways at {width} px ({wide} px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_editor_approves_and_sends_an_edition_and_a_reader_downloads_its_pdf(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not shutil.which("chromium"):
        pytest.skip("approval prints the PDF with chromium, which is not installed")
    root = _data_dir(tmp_path / "data")
    public = "https://rassegna.comune.example"
    with SMTPReceiver() as smtp, desk_server(root, load_sources()) as base:
        people = ("stampa@comune.example", "giunta@comune.example")
        monkeypatch.setenv("RASSEGNA_EDITION_URLS", " ".join(smtp.url(to=p) for p in people))
        monkeypatch.setenv("RASSEGNA_PUBLIC_URL", public)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
        page = context.new_page()
        watch = ConsoleWatch(page)
        _sign_in(page, base, "anna")
        page.get_by_label("Dal").fill(WEEK_1[0])
        page.get_by_label("Al", exact=True).fill(WEEK_1[1])
        page.get_by_label("Titolo (facoltativo)").fill("Prima settimana di ottobre")
        page.get_by_label("Titolo (facoltativo)").press("Enter")  # the keyboard sends it
        expect(page).to_have_url(base + "/edizioni/1")
        expect(page.locator(".rs-flash")).to_contain_text("bozza creata con 3 uscite")
        page.get_by_role("link", name="Anteprima").click()
        expect(page.locator(".rs-preview")).to_contain_text("Anteprima della bozza")
        assert "Genova apre gli sportelli LgNet2" in page.inner_text("body")
        page.get_by_role("link", name="Torna all'edizione").click()

        page.get_by_role("button", name="Approva").click()
        flash = page.locator(".rs-flash.rs-ok")
        expect(flash).to_contain_text("approvata: 3 uscite", timeout=90_000)
        expect(page.get_by_role("link", name="PDF dell'edizione n. 1")).to_be_visible()
        page.get_by_role("button", name="Invia", exact=True).click()
        expect(flash).to_contain_text("inviata a 2 destinatari", timeout=60_000)
        expect(page.locator("h1 .rs-badge")).to_have_text("inviata")
        states = page.locator("tr.rs-delivery .rs-badge").all_inner_texts()
        assert states == ["inviata", "inviata"]
        assert sorted(str(m["To"]) for m in smtp.messages) == sorted(people)
        for message in smtp.messages:
            [pdf] = [p for p in message.iter_attachments() if p.get_filename()]
            assert pdf.get_filename() == "rassegna-edizione-1.pdf"
            assert pdf.get_content().startswith(b"%PDF")
            body = message.get_body(("plain",))
            assert body is not None
            link = re.search(re.escape(public) + r"(/\S+)", str(body.get_content()))
            assert link is not None
            assert link.group(1) == "/edizioni/1"  # the page the e-mail links to is this one
        _shoot(page, "edizione-inviata")
        page.get_by_role("link", name="Edizioni", exact=True).click()
        expect(page.locator("tr.rs-edition")).to_contain_text("inviata a 2 di 2")
        page.get_by_label("Dal").fill(WEEK_2[0])
        page.get_by_label("Al", exact=True).fill(WEEK_2[1])
        page.get_by_role("button", name="Crea la bozza").click()
        expect(page).to_have_url(base + "/edizioni/2")
        expect(page.get_by_role("button", name="Approva")).to_be_visible()
        _shoot(page, "edizione-bozza")
        page.get_by_role("link", name="Edizioni", exact=True).click()
        states = page.locator("tr.rs-edition .rs-badge").all_inner_texts()
        assert states == ["bozza", "inviata"]
        _shoot(page, "edizioni")
        assert page.evaluate("document.scripts.length") == 0
        assert watch.errors == []
        context.close()

        reader = browser.new_context(viewport={"width": 390, "height": 800}, locale="it-IT")
        phone = reader.new_page()
        _sign_in(phone, base, "rita")
        assert phone.get_by_role("button", name="Crea la bozza").count() == 0
        with phone.expect_download() as info:
            phone.get_by_role("link", name="PDF dell'edizione n. 1").click()
        download = info.value
        assert download.suggested_filename == "rassegna-edizione-1.pdf"
        frozen = (DataDir(root).edition_files / "1" / "rassegna.pdf").read_bytes()
        assert Path(download.path()).read_bytes() == frozen
        reader.close()
