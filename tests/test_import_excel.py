"""``rassegna import`` of what an Italian office has: Excel's CSV (semicolons, Windows-1252,
``dd/mm/yyyy``, Italian column names), XLSX workbooks, the template, partial re-imports."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from crawler.imports import COLUMNS, import_csv
from crawler.sources import load_sources
from search.backends.sqlite import SQLiteStore
from search.files.data_dir import DataDir
from tests.conftest import run_cli

REGISTRY = load_sources(None)
NOW = "2023-12-14T09:00:00+00:00"
EXCEL_CSV = (
    "Testata;Categoria;Audience;Data;Titolo;Giornalista;Testo;URL\r\n"
    "Eco di Città;Quotidiani;12.500;19/10/2023;Città e rete LgNet2: più servizi;"
    "Anna Bianchi;La città entra nella rete LgNet2 per l'inclusione.;"
    "https://www.ecodicitta.test/2023/10/19/rete/\r\n"
    "Radio Quartiere;radio_tv;;3/11/2023;Il sindaco parla di accoglienza;;"
    "Servizio sull'accoglienza nei quartieri.;https://www.radioquartiere.test/gr/1103\r\n"
)


def test_an_excel_csv_with_semicolons_cp1252_and_italian_dates(
    tmp_path: Path, store: SQLiteStore
) -> None:
    path = tmp_path / "rassegna.csv"
    path.write_bytes(EXCEL_CSV.encode("cp1252"))
    result = import_csv(path, store, REGISTRY, now=NOW)
    assert (result.created, result.errors) == (2, [])
    eco = store.get("https://www.ecodicitta.test/2023/10/19/rete/")
    assert eco is not None
    a = eco.article
    assert (a.outlet, a.category, a.audience, a.date) == (
        "Eco di Città",
        "quotidiani",
        12500,
        "2023-10-19",
    )
    assert (a.title, a.journalist, a.source) == (
        "Città e rete LgNet2: più servizi",
        "A. Bianchi",
        "import",
    )
    assert a.mentions > 0
    radio = store.get("https://www.radioquartiere.test/gr/1103")
    assert radio is not None
    assert (radio.article.category, radio.article.date, radio.article.mentions) == (
        "radio_tv",
        "2023-11-03",
        0,
    )


def test_an_xlsx_workbook_with_real_dates_and_numbers(tmp_path: Path, store: SQLiteStore) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            "https://www.gazzettadelgolfo.test/2023/11/02/lgnet2-casa/",
            "Gazzetta del Golfo",
            "periodici",
            8000.0,
            datetime(2023, 11, 2, 0, 0),
            "Casa e lavoro: la rete LgNet2 a Trieste",
            "Luca Verdi",
            "A Trieste la rete LgNet2 apre uno sportello per la casa.",
        ]
    )
    path = tmp_path / "uscite.xlsx"
    book.save(path)
    result = import_csv(path, store, REGISTRY, now=NOW)
    assert (result.created, result.errors) == (1, [])
    stored = store.get("https://www.gazzettadelgolfo.test/2023/11/02/lgnet2-casa/")
    assert stored is not None
    assert (stored.article.audience, stored.article.date, stored.article.city) == (
        8000,
        "2023-11-02",
        "Trieste",
    )


def test_the_template_round_trip(tmp_path: Path) -> None:
    for name in ("modello.csv", "modello.xlsx"):
        path = tmp_path / name
        run_cli("import", "--template", str(path), data_dir=tmp_path)
        data_dir = tmp_path / f"data-{path.suffix[1:]}"
        result = run_cli("import", str(path), data_dir=data_dir)
        assert "1 new, 0 updated, 0 unchanged, 0 rejected" in result.stdout, name
        store = SQLiteStore(DataDir(data_dir).items)
        try:
            (item,) = store.rassegna_items()
        finally:
            store.close()
        assert (item.article.outlet, item.article.date) == ("Gazzetta di Esempio", "2023-10-19")
    assert (tmp_path / "modello.csv").read_text(encoding="utf-8-sig").startswith(";".join(COLUMNS))
    sheet = load_workbook(tmp_path / "modello.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)


def test_a_re_import_with_empty_fields_keeps_the_stored_values(
    tmp_path: Path, store: SQLiteStore
) -> None:
    path = tmp_path / "prima.csv"
    path.write_bytes(EXCEL_CSV.encode("cp1252"))
    import_csv(path, store, REGISTRY, now=NOW)
    partial = tmp_path / "correzione.csv"
    partial.write_text(
        "url;testata;categoria;audience;data;titolo;giornalista;testo\n"
        "https://www.ecodicitta.test/2023/10/19/rete/;;;;;Città nella rete LgNet2;;\n",
        encoding="utf-8",
    )
    result = import_csv(partial, store, REGISTRY, now="2023-12-15T09:00:00+00:00")
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    stored = store.get("https://www.ecodicitta.test/2023/10/19/rete/")
    assert stored is not None
    a = stored.article
    assert a.title == "Città nella rete LgNet2"
    assert (a.outlet, a.category, a.audience, a.date, a.journalist) == (
        "Eco di Città",
        "quotidiani",
        12500,
        "2023-10-19",
        "A. Bianchi",
    )
    assert a.text == "La città entra nella rete LgNet2 per l'inclusione."
    assert stored.first_seen == NOW
    assert store.count() == 2


def test_bad_rows_are_reported_with_their_line_and_the_rest_kept(
    tmp_path: Path, store: SQLiteStore
) -> None:
    path = tmp_path / "prima.csv"
    path.write_bytes(EXCEL_CSV.encode("cp1252"))
    import_csv(path, store, REGISTRY, now=NOW)
    bad = tmp_path / "errori.csv"
    bad.write_bytes(
        (
            "testata;categoria;data;titolo;url;audience;giornalista;testo\n"
            "Eco di Città;quotidiani;31/02/2023;Data impossibile;https://www.ecodicitta.test/a;;;\n"
            "Nuova Voce;quotidiani;05/12/2023;Una voce nuova;https://www.nuovavoce.test/1;;;\n"
            "Nuova Voce;giornali;05/12/2023;Categoria sbagliata;https://www.nuovavoce.test/2;;;\n"
            ";quotidiani;05/12/2023;Senza testata;https://www.nuovavoce.test/3;;;\n"
        ).encode("cp1252")
    )
    result = run_cli("import", str(bad), data_dir=tmp_path, check=False)
    assert result.returncode == 0
    errors = result.stderr.strip().splitlines()
    assert [e.split(": ", 1)[0] for e in errors] == [f"{bad}:{n}" for n in (2, 4, 5)]
    assert "31/02/2023" in errors[0]
    assert "giornali" in errors[1]
    assert "outlet" in errors[2]
    assert "1 new, 0 updated, 0 unchanged, 3 rejected" in result.stdout
    reopened = SQLiteStore(DataDir(tmp_path).items)
    try:
        assert reopened.count() == 3
    finally:
        reopened.close()
