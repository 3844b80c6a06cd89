from __future__ import annotations

import pytest

from enrichment.cities import CITIES, CITY_COORDINATES, detect_city


def test_sixteen_cities_in_alphabetical_order() -> None:
    assert len(CITIES) == 16
    assert list(CITIES) == sorted(CITIES)
    assert "Bolzano" in CITIES
    assert "Bozen" not in CITIES


def test_every_city_has_plausible_coordinates_in_italy() -> None:
    assert set(CITY_COORDINATES) == set(CITIES)
    for lat, lon in CITY_COORDINATES.values():
        assert 36.5 < lat < 47.2
        assert 6.5 < lon < 18.6
    palermo_lat, _ = CITY_COORDINATES["Palermo"]
    bolzano_lat, _ = CITY_COORDINATES["Bolzano"]
    assert palermo_lat < bolzano_lat


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Torino nel progetto inclusivo LgNet2, in 160 trovano un tetto.", "Torino"),
        ("Migranti: promuovere l'inclusione, a Bolzano il progetto LgNet2.", "Bolzano"),
        ("LATINA, inclusione e integrazione: Latina tra i comuni della rete", "Latina"),
        ("Inclusione sociale: c'è Potenza tra i 16 Comuni coinvolti", "Potenza"),
        ("Il Comune di Taranto: «Così ci prendiamo cura dei migranti»", "Taranto"),
        ("Inklusion: Bozen im Netzwerk der Gemeinden", "Bolzano"),
        ("perugia-fra-i-comuni-della-rete-lgnet2", "Perugia"),
    ],
)
def test_city_named_in_the_title(title: str, expected: str) -> None:
    assert detect_city(title, "Un testo che parla di Roma e ancora di Roma.") == expected


def test_title_naming_two_cities_gives_the_first() -> None:
    assert detect_city("Da Napoli a Genova, la rete si allarga", "") == "Napoli"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(ANSA) - TORINO, 18 OTT - Sono centosessanta le persone accolte a Milano.", "Torino"),
        ("TARANTO - Il Comune ha illustrato il progetto, come già Napoli e Napoli.", "Taranto"),
        ("Roma, 23 novembre 2023 – La rete dei comuni, da Milano a Milano.", "Roma"),
        ("(askanews) - Milano, 25 ott - Dopo Roma e Torino, a Roma si replica.", "Milano"),
        ("ROMA (ITALPRESS) - Il progetto coinvolge Bologna e poi Bologna.", "Roma"),
        ("Bozen – Die Gemeinde Trient und Trient.", "Bolzano"),
        ("  (AGI) — Sassari, 22 novembre — In città come a Cagliari.", "Sassari"),
    ],
)
def test_agency_dateline_beats_the_cities_named_in_the_text(text: str, expected: str) -> None:
    assert detect_city("Migranti, al via il progetto", text) == expected


def test_title_beats_dateline() -> None:
    assert detect_city("Genova nella rete", "(ANSA) - ROMA - Si parla di Genova.") == "Genova"


def test_text_beginning_with_a_non_city_before_a_dash_is_not_a_dateline() -> None:
    text = "Regione Lazio - La giunta ha approvato. Il progetto parte a Latina e poi a Latina."
    assert detect_city("Inclusione", text) == "Latina"


def test_most_mentioned_city_in_the_text() -> None:
    text = (
        "Dopo l'esperienza di Bologna, il progetto arriva a Firenze. A Firenze gli operatori "
        "hanno incontrato le associazioni; Firenze è la quinta tappa."
    )
    assert detect_city("Inclusione, la rete cresce", text) == "Firenze"


def test_tie_in_the_text_goes_to_the_first_named() -> None:
    text = "Incontro tra Trieste e Palermo. Trieste e Palermo si confrontano."
    assert detect_city("Un incontro", text) == "Trieste"


def test_hint_is_the_last_resort() -> None:
    assert detect_city("Edizione delle ore 19.30", "Servizio sul progetto.", hint="Potenza") == (
        "Potenza"
    )
    assert detect_city("Edizione", "Nel servizio si parla di Napoli.", hint="Potenza") == "Napoli"


def test_hint_outside_the_network_or_unknown_gives_none() -> None:
    assert detect_city("Un titolo", "Un testo.", hint="Varese") is None
    assert detect_city("Un titolo", "Un testo.", hint=None) is None
    assert detect_city("Un titolo", "Un testo.", hint="  bozen ") == "Bolzano"


def test_no_city_gives_none() -> None:
    assert detect_city("", "") is None


@pytest.mark.parametrize(
    "text",
    [
        "L'Azienda Servizi Sociali Bolzano coordina gli interventi.",
        "Gli operatori dell'ASSB hanno presentato i dati.",
        "Die Stadt Bozen nimmt teil.",
    ],
)
def test_bolzano_is_found_through_its_aliases(text: str) -> None:
    assert detect_city("Il progetto", text) == "Bolzano"


@pytest.mark.parametrize(
    "text",
    [
        "Le comunità della Romania sono numerose.",
        "Il signor Romano ha parlato a lungo, come il collega romano.",
        "Molti arrivano dall'America Latina e dall'america latina.",
        "Si insegna la lingua latina e la cultura latina nella cucina latina.",
        "Una vacanza a Milano Marittima, sulla riviera.",
        "La potenza del motore e la potenza di calcolo.",
        "A Potenza Picena, nelle Marche, si è votato.",
        "Abita a Bolzano Vicentino da anni.",
        "Torino di Sangro è in Abruzzo.",
        "Gli interventi per le comunità Roma e Sinti.",
        "Popolazioni Roma, Sinti e Caminanti.",
        "Sinti e Roma vivono nel campo.",
        "Lo sportello è in via Roma 12, accanto a piazza Garibaldi.",
        "Il centro di corso Trieste e quello di viale Milano.",
        "Il negozio di piazza Napoli e di p.zza Genova.",
        "Il campo sportivo di largo Torino.",
    ],
)
def test_false_friends_are_not_cities(text: str) -> None:
    assert detect_city("Un titolo qualunque", text) is None


def test_words_containing_city_names_are_not_cities() -> None:
    assert detect_city("Un titolo", "La Bolognina e i tortellini alla bolognese.") is None
    assert detect_city("Un titolo", "Un cioccolatino Perugina e un caffè napoletano.") is None


def test_sports_clubs_still_point_to_their_city() -> None:
    assert detect_city("Un titolo", "La partita del Napoli calcio.") == "Napoli"
    assert detect_city("Un titolo", "I tifosi della Sampdoria Genova.") == "Genova"


def test_false_friend_in_the_title_falls_through_to_the_text() -> None:
    title = "Migranti dall'America Latina, la risposta dei comuni"
    assert detect_city(title, "A Perugia lo sportello unico.") == "Perugia"


def test_street_named_after_a_city_does_not_hide_the_real_city() -> None:
    text = "A Sassari lo sportello apre in via Roma; a Sassari gli operatori sono pronti."
    assert detect_city("Lo sportello apre in via Roma", text) == "Sassari"


def test_capitalised_latina_and_potenza_are_cities() -> None:
    assert detect_city("Un titolo", "Il sindaco di Latina ha firmato.") == "Latina"
    assert detect_city("Un titolo", "IL SINDACO DI POTENZA HA FIRMATO.") == "Potenza"


def test_city_names_match_case_insensitively() -> None:
    assert detect_city("TRIESTE, NUOVO SPORTELLO", "") == "Trieste"
    assert detect_city("un titolo", "il progetto a genova") == "Genova"


def test_roma_as_a_city_is_still_roma() -> None:
    assert detect_city("Un titolo", "La comunità di Roma accoglie; Roma Capitale aderisce.") == (
        "Roma"
    )
