from __future__ import annotations

import pytest

from enrichment.journalist import format_journalist


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Alice Gipponi", "A. Gipponi"),
        ("di Giuseppe Di Meo", "G. Di Meo"),
        ("GIOVANNI MASCIA", "G. Mascia"),
        ("Daniele Furlan", "D. Furlan"),
        ("Maria Grazia De Luca", "M. G. De Luca"),
        ("Pietro Stendardo | Redazione", "P. Stendardo"),
        ("A cura di Anna Serra", "A. Serra"),
        ("a cura di Anna Serra", "A. Serra"),
        ("A. Gipponi", "A. Gipponi"),
        ("  Daniele   Furlan\n", "D. Furlan"),
    ],
)
def test_formats_bylines_as_initials_and_surname(raw: str, expected: str) -> None:
    assert format_journalist(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "By Alice Gipponi",
        "by Alice Gipponi",
        "Di Alice Gipponi",
        "di Alice Gipponi",
        "Da Alice Gipponi",
        "Scritto da Alice Gipponi",
        "Autore: Alice Gipponi",
        "Autore Alice Gipponi",
        "Articolo di Alice Gipponi",
        "Pubblicato da Alice Gipponi",
        "Alice Gipponi - 26 Ottobre 2023",
        "Alice Gipponi 26/10/2023",
        "Alice Gipponi, lunedì 26 ottobre 2023 ore 10:30",
        "Alice Gipponi lunedì 26 ottobre 2023",
        "Pubblicato il 26/10/2023 da Alice Gipponi",
        "Alice Gipponi alice.gipponi@example.it",
        "Alice Gipponi <alice@example.it>",
        "Alice Gipponi - Dietro la notizia",
        "Alice Gipponi (ANSA)",
        "Alice Gipponi.",
        "A.Gipponi",
        "alice gipponi",
        "ALICE GIPPONI",
        "Alice Gipponi, Marco Rossi",
        "Alice Gipponi e Marco Rossi",
        "Alice Gipponi & Marco Rossi",
        "Alice Gipponi / Marco Rossi",
        "Redazione | Alice Gipponi",
    ],
)
def test_strips_lead_ins_dates_emails_and_keeps_the_first_author(raw: str) -> None:
    assert format_journalist(raw) == "A. Gipponi"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "Redazione",
        "La Redazione",
        "redazione web",
        "REDAZIONE",
        "Redazione Online",
        "Comunicato stampa",
        "Ufficio stampa",
        "Ufficio Stampa Comune di Sassari",
        "admin",
        "Staff",
        "Autore",
        "Agenzia",
        "ANSA",
        "askanews",
        "Dire",
        "Agenzia Dire",
        "alice.gipponi@example.it",
        "mailto:alice.gipponi@example.it",
        "https://www.example.it/author/alice-gipponi/",
        "www.example.it",
        "Gipponi",
        "giornalista",
        "user123",
        "12345",
        "Il Mattino di Basilicata",
        "Alice G.",
        "De Luca",
        "Questo articolo è stato scritto dalla nostra redazione locale",
    ],
)
def test_editorial_or_non_person_bylines_give_none(raw: str | None) -> None:
    assert format_journalist(raw) is None


@pytest.mark.parametrize(
    ("raw", "outlet", "site_name"),
    [
        ("Taranto BuonaSera", "Tarantobuonasera.it", None),
        ("Pubblica Now", None, "Pubblica Now"),
        ("PUBBLICA NOW!", "Pubblicanow.it", None),
        ("Trieste Cafè", "Fvgcafe.it – Trieste Cafè", None),
        ("Sardegna Reporter", "Informazione.it – Sardegna Reporter", None),
        ("Vivere Perugia", None, "vivereperugia"),
        ("di Pubblica Now", None, "Pubblica Now"),
    ],
)
def test_the_outlet_or_site_name_itself_is_not_a_journalist(
    raw: str, outlet: str | None, site_name: str | None
) -> None:
    assert format_journalist(raw, outlet=outlet, site_name=site_name) is None


def test_outlet_name_before_the_author_is_skipped() -> None:
    byline = "Pubblica Now - Pietro Stendardo"
    assert format_journalist(byline, site_name="Pubblica Now") == "P. Stendardo"


def test_a_person_is_kept_even_when_outlet_is_given() -> None:
    assert format_journalist("Alice Gipponi", outlet="Dietrolanotizia.eu") == "A. Gipponi"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Giuseppe Di Meo", "G. Di Meo"),
        ("GIUSEPPE DI MEO", "G. Di Meo"),
        ("Anna Della Valle", "A. Della Valle"),
        ("Paolo Dello Russo", "P. Dello Russo"),
        ("Marco Lo Presti", "M. Lo Presti"),
        ("Rosa La Rocca", "R. La Rocca"),
        ("Franco Dal Monte", "F. Dal Monte"),
        ("Carla Dalla Chiesa", "C. Dalla Chiesa"),
        ("Mario D'Amico", "M. D'Amico"),
        ("MARIO D'AMICO", "M. D'Amico"),
        ("Mario D’Amico", "M. D'Amico"),
        ("Mario D' Amico", "M. D'Amico"),
        ("Luca Dell'Orto", "L. Dell'Orto"),
        ("LUCA DELL'ORTO", "L. Dell'Orto"),
        ("luca dell'orto", "L. Dell'Orto"),
        ("Ludwig van Beethoven", "L. van Beethoven"),
        ("Ursula Von Der Leyen", "U. Von Der Leyen"),
        ("Giuseppe di Meo", "G. di Meo"),
        ("Anna Rossi-Bianchi", "A. Rossi-Bianchi"),
        ("ANNA ROSSI-BIANCHI", "A. Rossi-Bianchi"),
        ("Giovanni MASCIA", "G. Mascia"),
        ("Mario McDonald", "M. McDonald"),
        ("M.G. De Luca", "M. G. De Luca"),
        ("M. G. De Luca", "M. G. De Luca"),
        ("Maria Grazia Anna De Luca", "M. G. A. De Luca"),
    ],
)
def test_surname_particles_apostrophes_and_capitals(raw: str, expected: str) -> None:
    assert format_journalist(raw) == expected


def test_name_with_a_number_after_it_keeps_the_name() -> None:
    assert format_journalist("Mario Rossi 3 ore fa") == "M. Rossi"


def test_german_byline_lead_in_is_dropped() -> None:
    assert format_journalist("Von Andreas Pichler") == "A. Pichler"
    assert format_journalist("Verfasst von Lisa Mair") == "L. Mair"
