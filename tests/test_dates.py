"""Italian printed dates, agency datelines, machine dates and URL dates."""

from __future__ import annotations

import datetime as dt

import pytest

from enrichment.dates import (
    date_from_url,
    normalise_machine_date,
    parse_italian_date,
    year_from_url,
)

TODAY = dt.date(2023, 12, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 Ottobre 2023", ("2023-10-27", "27 Ottobre 2023")),
        ("27 ottobre 2023", ("2023-10-27", "27 ottobre 2023")),
        ("29-11-2023 14:00", ("2023-11-29", "29-11-2023 14:00")),
        ("29/11/2023", ("2023-11-29", "29/11/2023")),
        ("giovedì 26 ottobre 2023", ("2023-10-26", "giovedì 26 ottobre 2023")),
        ("Giovedi, 26 Ottobre 2023", ("2023-10-26", "Giovedi, 26 Ottobre 2023")),
        ("1° dicembre 2023", ("2023-12-01", "1° dicembre 2023")),
        ("5 dic. 2023", ("2023-12-05", "5 dic. 2023")),
        ("19.10.2023", ("2023-10-19", "19.10.2023")),
        ("2/11/23", ("2023-11-02", "2/11/23")),
        ("2023-11-29", ("2023-11-29", "2023-11-29")),
        ("17 ottobre 2023, 12:05", ("2023-10-17", "17 ottobre 2023, 12:05")),
        ("27 ottobre 2023 alle ore 9.30", ("2023-10-27", "27 ottobre 2023 alle ore 9.30")),
        ("Lunedì, 4 Dicembre 2023 - 19:30", ("2023-12-04", "Lunedì, 4 Dicembre 2023 - 19:30")),
    ],
)
def test_printed_dates_are_read_with_their_raw_text(text: str, expected: tuple[str, str]) -> None:
    assert parse_italian_date(text, today=TODAY) == expected


def test_first_date_in_a_longer_text_wins() -> None:
    text = "Pubblicato il 3 novembre 2023 | Aggiornato il 05/11/2023 alle 10:00"
    assert parse_italian_date(text, today=TODAY) == ("2023-11-03", "3 novembre 2023")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(ANSA) - TORINO, 18 OTT - Sono centosessanta", ("2023-10-18", "18 OTT")),
        ("(ANSA) - REGGIO EMILIA, 3 NOV - Il Comune", ("2023-11-03", "3 NOV")),
        ("Milano, 25 ott. (askanews) – Milano fa parte", ("2023-10-25", "25 ott.")),
        ("ROMA, 23 NOV – La rete", ("2023-11-23", "23 NOV")),
        ("L'Aquila, 2 dic - Tutto pronto", ("2023-12-02", "2 dic")),
    ],
)
def test_agency_datelines_take_the_year_hint(text: str, expected: tuple[str, str]) -> None:
    assert parse_italian_date(text, year_hint=2023, today=TODAY) == expected


def test_dateline_without_hint_is_the_latest_such_day_not_after_today() -> None:
    text = "(ANSA) - TORINO, 18 OTT - Sono centosessanta"
    assert parse_italian_date(text, today=dt.date(2024, 3, 1)) == ("2023-10-18", "18 OTT")
    assert parse_italian_date(text, today=dt.date(2024, 10, 18)) == ("2024-10-18", "18 OTT")


def test_dateline_on_29_february_without_hint_goes_back_to_a_leap_year() -> None:
    text = "ROMA, 29 FEB - Notizia"
    assert parse_italian_date(text, today=dt.date(2023, 12, 14)) == ("2020-02-29", "29 FEB")


def test_day_and_month_without_a_dateline_dash_are_not_a_date() -> None:
    assert parse_italian_date("Ci vediamo il 18 ottobre in piazza", today=TODAY) is None


def test_year_hint_does_not_override_a_printed_year() -> None:
    assert parse_italian_date("27 ottobre 2021", year_hint=2023, today=TODAY) == (
        "2021-10-27",
        "27 ottobre 2021",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "nessuna data qui",
        "31 febbraio 2023",
        "32/13/2023",
        "0/0/2023",
        "16 dicembre 2023",  # after TODAY: not a publication date
        "12 ottobre 1990",  # before any Italian news site
        "versione 2023",
        "ieri",
        "3 ore fa",
        "tel. 06 12 2023 45",
        "ottobre 2023",
        "\x00\x01\x02",
    ],
)
def test_bad_input_gives_none(text: str) -> None:
    assert parse_italian_date(text, today=TODAY) is None


def test_impossible_date_is_skipped_for_the_next_one() -> None:
    assert parse_italian_date("30/02/2023 poi 01/03/2023", today=TODAY) == (
        "2023-03-01",
        "01/03/2023",
    )


def test_dateparser_reads_short_strings_the_patterns_miss() -> None:
    assert parse_italian_date("Novembre 29, 2023", today=TODAY) == (
        "2023-11-29",
        "Novembre 29, 2023",
    )


def test_today_defaults_to_the_real_date() -> None:
    in_two_days = dt.date.today() + dt.timedelta(days=2)
    assert parse_italian_date(in_two_days.strftime("%d/%m/%Y")) is None
    assert parse_italian_date(dt.date.today().strftime("%d/%m/%Y")) is not None


def test_a_day_after_today_is_allowed_for_time_zones() -> None:
    assert parse_italian_date("15 dicembre 2023", today=TODAY) == (
        "2023-12-15",
        "15 dicembre 2023",
    )
    assert normalise_machine_date("2023-12-15T00:20:00+01:00", today=TODAY) == "2023-12-15"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-21T00:30:00+01:00", "2023-11-21"),
        ("2023-11-20T23:30:00-05:00", "2023-11-20"),
        ("2023-11-29 12:10:00", "2023-11-29"),
        ("2023-11-29", "2023-11-29"),
        ("20231129T101500Z", "2023-11-29"),
        ("Wed, 29 Nov 2023 10:00:00 +0100", "2023-11-29"),
        ("29/11/2023", "2023-11-29"),
        ("29 novembre 2023", "2023-11-29"),
        ("", None),
        ("not a date", None),
        ("2023-13-45T00:00:00", None),
    ],
)
def test_machine_dates_keep_the_publishers_day(value: str, expected: str | None) -> None:
    assert normalise_machine_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.torinoggi.it/2023/10/17/leggi-notizia/x.html", ("2023-10-17", "2023/10/17")),
        ("https://www.zazoom.it/2023-11-24/migranti/13872955/", ("2023-11-24", "2023-11-24")),
        ("https://example.it/archivio/2023_11_02/pezzo", ("2023-11-02", "2023_11_02")),
        ("https://www.dietrolanotizia.eu/2023/10/milano/", None),
        ("https://www.vivereterni.it/altrigiornali/31/191228-2023", None),
        ("https://example.it/2023/02/30/impossibile/", None),
        ("https://example.it/?d=2023/10/17", None),
        ("not a url", None),
    ],
)
def test_url_dates_need_year_month_and_day_in_the_path(
    url: str, expected: tuple[str, str] | None
) -> None:
    assert date_from_url(url, today=TODAY) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.dietrolanotizia.eu/2023/10/milano/", 2023),
        ("https://www.zazoom.it/2023-11-24/migranti/", 2023),
        ("https://www.ansa.it/piemonte/notizie/2023/10/18/x.html", 2023),
        ("https://www.askanews.it/cronaca/migranti-milano/", None),
        ("https://example.it/prodotto/2023", None),
    ],
)
def test_year_from_url_reads_dated_paths_only(url: str, expected: int | None) -> None:
    assert year_from_url(url) == expected
