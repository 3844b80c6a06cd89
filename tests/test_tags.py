from __future__ import annotations

import pytest

from enrichment.tags import ACTION_AREAS, action_areas


def test_action_areas_are_the_three_of_the_project() -> None:
    assert ACTION_AREAS == ("impegno civico", "presa in carico", "housing")


@pytest.mark.parametrize(
    "sentence",
    [
        "Il progetto promuove l'impegno civico dei nuovi cittadini.",
        "Percorsi di cittadinanza attiva per i giovani stranieri.",
        "Un programma di volontariato civico nei quartieri.",
        "La partecipazione civica è al centro dell'iniziativa.",
        "Attività di volontariato nei giardini di quartiere.",
        "Sono stati firmati nuovi patti di collaborazione per la cura dei beni comuni.",
        "Gli impegni civici dei beneficiari.",
    ],
)
def test_civic_engagement(sentence: str) -> None:
    assert action_areas("Un titolo", sentence) == ("impegno civico",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Le prese in carico sono state trecento.",
        "La presa in carico avviene entro una settimana.",
        "Il one stop shop è aperto tutti i giorni.",
        "Il One-Stop-Shop è aperto tutti i giorni.",
        "Lo sportello unico per i cittadini stranieri.",
        "Gli sportelli unici di quartiere.",
        "Le unità mobili girano di notte.",
        "Le unita' mobili girano di notte.",
        "L'unità di strada incontra le persone senza dimora.",
        "Un servizio di orientamento ai servizi del territorio.",
        "Gli operatori dell'équipe multidisciplinare.",
    ],
)
def test_taking_charge(sentence: str) -> None:
    assert action_areas("Un titolo", sentence) == ("presa in carico",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Un progetto di housing first per le famiglie.",
        "Il social housing cresce in periferia.",
        "Percorsi di inclusione abitativa per i più fragili.",
        "L'accoglienza abitativa è garantita per sei mesi.",
        "L'emergenza abitativa colpisce molte famiglie.",
        "Sono stati assegnati venti alloggi.",
        "Un alloggio temporaneo per ogni nucleo.",
        "Il tema dell'abitare è centrale.",
        "Il tema dell’abitare è centrale.",
        "Difendere il diritto alla casa.",
        "Aiutare le persone a trovare casa.",
        "In centosessanta trovano un tetto.",
        "Le graduatorie delle case popolari.",
    ],
)
def test_housing(sentence: str) -> None:
    assert action_areas("Un titolo", sentence) == ("housing",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Il sindaco è tornato a casa dopo la riunione.",
        "La casa editrice ha pubblicato il volume.",
        "La Casa Bianca ha commentato.",
        "Il tetto di spesa è stato superato.",
        "Il tetto della scuola è stato riparato.",
        "Molti vogliono abitare in centro.",
        "Il volontariato è una risorsa del Paese.",
        "Le unità di personale sono aumentate.",
        "Lo sportello dell'anagrafe è chiuso.",
        "La carica del sindaco scade nel 2026.",
        "Il sindaco ha preso in mano la questione.",
        "Un impegno costante del Comune.",
        "Il servizio civile universale.",
        "Lo stallone è nella scuderia.",
    ],
)
def test_broad_words_alone_are_not_action_areas(sentence: str) -> None:
    assert action_areas("Un titolo", sentence) == ()


def test_several_areas_come_in_the_fixed_order_each_once() -> None:
    text = (
        "Il progetto offre housing temporaneo e un alloggio. Le unità di strada assicurano la "
        "presa in carico, mentre il volontariato civico e l'impegno civico completano il quadro. "
        "Ancora housing."
    )
    assert action_areas("Un titolo", text) == ("impegno civico", "presa in carico", "housing")


def test_title_counts_too() -> None:
    title = "Unità di strada per integrare i migranti"
    assert action_areas(title, "Un testo senza temi.") == ("presa in carico",)


def test_phrase_split_across_lines_is_found() -> None:
    assert action_areas("", "Percorsi di inclusione\nabitativa e presa in\ncarico.") == (
        "presa in carico",
        "housing",
    )


def test_case_does_not_matter() -> None:
    assert action_areas("HOUSING E IMPEGNO CIVICO", "") == ("impegno civico", "housing")


def test_nothing_found_gives_an_empty_tuple() -> None:
    assert action_areas("", "") == ()
