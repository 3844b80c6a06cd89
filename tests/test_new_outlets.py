"""A site found by discovery is classified by the office: the registry file gains the outlet,
comments and order kept, and the items already stored take its name, category and audience."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from enrichment.errors import RegistryError
from enrichment.registry import load_registry
from search.backends.sqlite import SQLiteStore
from search.desk.accounts import Accounts
from search.desk.decisions import Desk
from search.desk.new_outlets import classify, new_outlets
from search.errors import DecisionError
from search.files.data_dir import DataDir
from search.files.registry_file import add_outlet
from search.web.app import create_app
from tests.conftest import article
from tests.editions_data import in_process

REGISTRY = """\
# Registro di prova: i commenti devono restare dove sono.
topic:
  name: LgNet2
  query: lgnet2

outlets:
  # Il quotidiano di riferimento della città.
  - name: "Cronaca Esempio"
    category: quotidiani
    feeds: ["https://www.cronacaesempio.test/feed/"]  # confermato
"""
PASSWORD = "una-password-lunga"
FOUND = "https://www.voceditalia.test/2023/11/rete-lgnet2-nuovi-sportelli/"


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def test_adding_an_outlet_keeps_comments_and_order(registry_file: Path) -> None:
    added = add_outlet(
        registry_file,
        {"name": "La Voce d'Italia", "category": "portali", "urls": ["voceditalia.test"]},
        comment="Trovata dalla ricerca.",
    )
    text = registry_file.read_text(encoding="utf-8")
    assert text.startswith(REGISTRY.rstrip("\n"))  # every line before, untouched
    assert "# Trovata dalla ricerca." in text
    assert [o.name for o in added.outlets] == ["Cronaca Esempio", "La Voce d'Italia"]
    assert load_registry(registry_file).outlet_for_url(FOUND) == added.outlets[1]


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"name": "Cronaca Esempio", "category": "portali"}, "already exists"),
        (
            {"name": "Altra", "category": "portali", "urls": ["cronacaesempio.test"]},
            "already attributed to 'Cronaca Esempio'",
        ),
        ({"name": "Altra", "category": "blog", "urls": ["altra.test"]}, "'blog' is not one of"),
    ],
)
def test_a_refused_outlet_leaves_the_file_as_it_was(
    registry_file: Path, entry: dict[str, object], reason: str
) -> None:
    with pytest.raises(RegistryError, match=reason):
        add_outlet(registry_file, entry, comment="x")
    assert registry_file.read_text(encoding="utf-8") == REGISTRY


def test_classifying_a_new_outlet_updates_its_items_and_logs_it(
    registry_file: Path, tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "rassegna.sqlite")
    desk = Desk(tmp_path / "desk.sqlite")
    found = article(
        url=FOUND, outlet="La Voce d'Italia", category="portali", new_outlet=True, mentions=2
    )
    store.upsert(found, now="2023-11-20T08:00:00+00:00")
    store.upsert(article(url="https://www.cronacaesempio.test/a"), now="2023-11-20T08:00:00+00:00")
    (waiting,) = new_outlets(store)
    assert (waiting.host, waiting.label, len(waiting.items)) == (
        "voceditalia.test",
        "La Voce d'Italia",
        1,
    )
    registry = load_registry(registry_file)
    with pytest.raises(DecisionError, match="must be a whole number"):
        classify(store, desk, registry, "voceditalia.test", name="Voce", category="portali",
                 audience=-1, actor="anna")  # fmt: skip
    updated, changed = classify(
        store,
        desk,
        registry,
        "www.voceditalia.test",
        name="Voce d'Italia",
        category="quotidiani",
        audience=12000,
        actor="anna",
    )
    assert changed == 1
    assert updated.outlet_for_url(FOUND) is not None
    stored = store.get(FOUND)
    assert stored is not None
    assert (stored.article.outlet, stored.article.category, stored.article.audience) == (
        "Voce d'Italia",
        "quotidiani",
        12000,
    )
    assert not stored.article.new_outlet
    assert new_outlets(store) == []
    (entry,) = desk.audit(url=FOUND)
    assert (entry.actor, entry.action, entry.before, entry.after) == (
        "anna",
        "classify",
        "La Voce d'Italia",
        "Voce d'Italia",
    )
    with pytest.raises(DecisionError, match="no item of a new outlet"):
        classify(store, desk, updated, "voceditalia.test", name="Di nuovo",
                 category="portali", audience=None, actor="anna")  # fmt: skip
    store.close()


def _desk(tmp_path: Path, registry_file: Path, *, editable: bool = True) -> Flask:
    data = tmp_path / "data"
    store = SQLiteStore(DataDir(data).items)
    store.upsert(
        article(url=FOUND, outlet="La Voce <d'Italia>", category="portali", new_outlet=True),
        now="2023-11-20T08:00:00+00:00",
    )
    store.close()
    accounts = Accounts(DataDir(data).accounts)
    accounts.save("anna", "editor", PASSWORD)
    accounts.save("rita", "reader", PASSWORD)
    accounts.close()
    text = registry_file.read_text(encoding="utf-8") + "\ndiscovery:\n  interval: 30\n"
    registry_file.write_text(text, encoding="utf-8")
    return create_app(
        data, load_registry(registry_file), None, registry_editable=editable, secret_key="prova"
    )


def _client(app: Flask, name: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/accedi").text)
    assert token is not None
    form = {"nome": name, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/accedi", data=form).status_code == 303
    page = client.get("/testate-nuove").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    return client, token.group(1)


@pytest.mark.usefixtures("cheap_hashes")
def test_an_editor_classifies_a_new_outlet_on_the_desk_and_a_reader_cannot(
    tmp_path: Path, registry_file: Path
) -> None:
    app = _desk(tmp_path, registry_file)
    reader, token = _client(app, "rita")
    page = reader.get("/testate-nuove").text
    assert "La Voce &lt;d&#39;Italia&gt;" in page  # the site's own name, escaped
    assert 'href="/testate-nuove"' in page  # in the bar, since the registry has discovery
    assert "Aggiungi al registro" not in page
    form = {"sito": "voceditalia.test", "nome": "Voce", "categoria": "portali"}
    refused = reader.post("/testate-nuove/classifica", data={**form, "csrf_token": token})
    assert refused.status_code == 403
    editor, token = _client(app, "anna")
    bad = editor.post(
        "/testate-nuove/classifica",
        data={**form, "audience": "tanta", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Audience non valida" in bad.text
    done = editor.post(
        "/testate-nuove/classifica",
        data={**form, "nome": "Voce d'Italia", "audience": "12000", "csrf_token": token},
        follow_redirects=True,
    )
    assert "ora è la testata «Voce d&#39;Italia» del registro (1 uscita aggiornata)" in done.text
    assert "Nessuna testata nuova da classificare." in done.text
    assert load_registry(registry_file).outlet("Voce d'Italia").audience == 12000
    assert "testata classificata" in editor.get("/registro").text


def test_sources_new_and_add_on_the_command_line(
    tmp_path: Path, registry_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = SQLiteStore(DataDir(data).items)
    store.upsert(
        article(url=FOUND, outlet="La Voce d'Italia", category="portali", new_outlet=True),
        now="2023-11-20T08:00:00+00:00",
    )
    store.close()
    listed = in_process(capsys, "sources", "new", data_dir=data)
    assert listed.stdout == "voceditalia.test  «La Voce d'Italia»  1 uscita\n"
    bundled = in_process(
        capsys, "sources", "add", "voceditalia.test", "--name", "Voce", "--category",
        "portali", data_dir=data,
    )  # fmt: skip
    assert bundled.returncode == 2
    assert "the bundled registry is not edited" in bundled.stderr
    bad = in_process(
        capsys, "sources", "add", "voceditalia.test", "--sources", str(registry_file),
        "--name", "Voce", "--category", "blog", data_dir=data,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "category 'blog': not one of" in bad.stderr
    assert registry_file.read_text(encoding="utf-8") == REGISTRY
    added = in_process(
        capsys, "sources", "add", "www.voceditalia.test", "--sources", str(registry_file),
        "--name", "Voce d'Italia", "--category", "quotidiani", "--audience", "9000",
        "--by", "anna", data_dir=data,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "come «Voce d'Italia»; 1 uscita aggiornata" in added.stdout
    assert load_registry(registry_file).outlet("Voce d'Italia").audience == 9000
    assert in_process(capsys, "sources", "new", data_dir=data).stdout == (
        "Nessuna testata nuova da classificare.\n"
    )


@pytest.mark.usefixtures("cheap_hashes")
def test_the_desk_never_edits_the_bundled_registry(tmp_path: Path, registry_file: Path) -> None:
    """Without ``rassegna serve --sources FILE`` the registry is the one inside the package: the
    page says how to classify, shows no form, and a forged post changes nothing."""
    app = _desk(tmp_path, registry_file, editable=False)
    before = registry_file.read_text(encoding="utf-8")
    editor, token = _client(app, "anna")
    page = editor.get("/testate-nuove").text
    assert "avvialo con <code>--sources FILE</code>" in page
    assert "Aggiungi al registro" not in page
    form = {"sito": "voceditalia.test", "nome": "Voce", "categoria": "portali"}
    refused = editor.post(
        "/testate-nuove/classifica", data={**form, "csrf_token": token}, follow_redirects=True
    )
    assert "Il registro incluso nel programma non si modifica" in refused.text
    assert registry_file.read_text(encoding="utf-8") == before
