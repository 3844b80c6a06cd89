"""Synthetic Italian article texts for the mirror.

Every sentence here was written for these tests: the real articles are other people's work and
were never seen. The texts carry what the enrichment must find (the project named in the body,
one network city per story) and what it must not be fooled by (the predecessor LgNetEA, local
news that never names the project).
"""

from __future__ import annotations

PROJECT = (
    "Il progetto è finanziato dal Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020 ed è "
    "promosso dal Ministero dell'Interno insieme all'ANCI, con il supporto tecnico della "
    "Fondazione Cittalia. L'obiettivo è dare risposte rapide alle persone che vivono in aree "
    "urbane svantaggiate e rischiano di restare ai margini dei servizi."
)

AREAS = (
    "Le attività seguono tre linee: l'impegno civico, con iniziative che coinvolgono associazioni "
    "e residenti; la presa in carico, attraverso sportelli unici e unità mobili che raggiungono "
    "chi non si rivolge ai servizi; l'housing, con soluzioni abitative temporanee e un "
    "accompagnamento verso l'autonomia."
)

_LEADS = (
    "Anche {city} fa parte della rete di sedici Comuni che partecipano a {name}, il progetto "
    "nazionale che sostiene le politiche locali di inclusione rivolte ai cittadini stranieri in "
    "condizione di fragilità.",
    "{city} è tra i sedici Comuni della rete {name}, che sperimenta servizi di inclusione "
    "d'emergenza nelle zone della città dove il disagio sociale è più concentrato.",
    "Il progetto {name} ha fatto tappa a {city}, uno dei sedici Comuni italiani che "
    "costruiscono insieme nuovi servizi per l'inclusione delle persone migranti più fragili.",
)

_TOUR = (
    "La tappa di {city} rientra nel giro di incontri che l'ANCI sta svolgendo nelle città della "
    "rete per raccontare i risultati raggiunti e raccogliere le proposte degli operatori.",
    "L'incontro di {city} è stato anche l'occasione per mettere a confronto le esperienze degli "
    "operatori sociali con quelle delle altre città coinvolte.",
    "Nei prossimi mesi l'amministrazione di {city} intende rendere stabili i servizi sperimentati "
    "e allargare la rete alle realtà del volontariato che ne hanno chiesto di far parte.",
)

CITY_FOCUS: dict[str, str] = {
    "Torino": (
        "A Torino il lavoro si è concentrato sull'abitare: grazie agli alloggi di transizione "
        "messi a disposizione con gli enti del terzo settore, circa 160 persone hanno trovato un "
        "tetto e sono state seguite nella ricerca di una sistemazione stabile."
    ),
    "Bolzano": (
        "A Bolzano il progetto è curato dall'Azienda Servizi Sociali di Bolzano: gli operatori "
        "lavorano con mediatori che parlano italiano, tedesco e le lingue delle comunità presenti "
        "in città, per orientare le persone verso i servizi sociali e sanitari."
    ),
    "Milano": (
        "A Milano le unità mobili escono nelle ore serali nelle aree intorno alle stazioni e nei "
        "quartieri periferici, dove incontrano persone senza dimora o senza documenti e le "
        "accompagnano verso i presidi del Comune."
    ),
    "Latina": (
        "A Latina l'attenzione è rivolta soprattutto ai lavoratori stranieri impiegati nelle "
        "campagne della provincia: uno sportello unico li aiuta con i documenti, l'iscrizione al "
        "servizio sanitario e la ricerca di un alloggio dignitoso."
    ),
    "Perugia": (
        "A Perugia il progetto ha rafforzato i legami tra servizi sociali, centri per l'impiego e "
        "associazioni, con percorsi personalizzati che partono da un colloquio di orientamento e "
        "arrivano fino all'inserimento lavorativo."
    ),
    "Palermo": (
        "A Palermo le attività si svolgono soprattutto nei quartieri del centro storico, dove "
        "operatori e mediatori incontrano famiglie e giovani stranieri e li accompagnano "
        "nell'accesso ai servizi e in esperienze di cittadinanza attiva."
    ),
    "Potenza": (
        "A Potenza, accanto allo sportello di orientamento, è nato un percorso che unisce la cura "
        "di un orto comune e un laboratorio di cucina: un modo concreto per imparare un mestiere, "
        "conoscere la città e farsi conoscere."
    ),
    "Taranto": (
        "A Taranto il Comune ha scelto di puntare sulla presa in carico: un'équipe di assistenti "
        "sociali, educatori e mediatori segue ogni persona dal primo contatto fino all'accesso "
        "alle cure e a un alloggio."
    ),
    "Sassari": (
        "A Sassari un'unità di strada percorre i quartieri dove il disagio è più visibile, per "
        "intercettare chi vive ai margini e ridurre il rischio di tensioni e di conflitto sociale."
    ),
    "Caserta": (
        "A Caserta i fondi europei del progetto sostengono uno sportello di ascolto e "
        "orientamento e attività di mediazione nei quartieri dove vivono molte famiglie straniere."
    ),
    "Genova": (
        "A Genova il progetto lavora nei quartieri del centro storico e del ponente, con percorsi "
        "di accompagnamento all'abitare e attività di quartiere costruite con le associazioni."
    ),
    "Trieste": (
        "A Trieste, dove arrivano molte persone lungo la rotta balcanica, il progetto sostiene la "
        "prima accoglienza e l'orientamento ai servizi, in collaborazione con il volontariato."
    ),
    "Roma": (
        "A Roma la rete coinvolge diversi municipi, con sportelli di prossimità e unità mobili che "
        "raggiungono le persone più isolate e le mettono in contatto con i servizi sociali."
    ),
}


def story_paragraphs(city: str, name: str, variant: int) -> list[str]:
    """An article on the project's stop in ``city``; ``variant`` varies the wording by outlet."""
    lead = _LEADS[variant % len(_LEADS)].format(city=city, name=name)
    tour = _TOUR[variant % len(_TOUR)].format(city=city)
    return [lead, PROJECT, CITY_FOCUS[city], AREAS, tour]


def teaser(city: str, name: str, variant: int) -> list[str]:
    """What an aggregator shows of a republished story: the lead and the local angle."""
    return [_LEADS[variant % len(_LEADS)].format(city=city, name=name), CITY_FOCUS[city]]


def short_text(city: str, name: str) -> str:
    """A wire item, a clipping or a social post: a few lines."""
    return f"{_LEADS[0].format(city=city, name=name)} {CITY_FOCUS[city]}"


# -- decoys ------------------------------------------------------------------------------------

_LOCAL_NEWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "{place}, al via i lavori di riqualificazione del mercato coperto",
        (
            "Sono partiti questa mattina a {place} i lavori che restituiranno ai residenti il "
            "mercato coperto, chiuso da oltre un anno per problemi alla copertura.",
            "Il cantiere durerà circa otto mesi. Durante i lavori i banchi si sposteranno nella "
            "piazza vicina, con gli stessi orari di apertura.",
            "Per i commercianti è previsto uno sconto sul canone per tutto il periodo del "
            "trasferimento.",
        ),
    ),
    (
        "{place}, cambia il calendario della raccolta differenziata",
        (
            "Dal primo del mese prossimo a {place} cambiano i giorni di raccolta di carta e "
            "plastica in diversi quartieri.",
            "Il nuovo calendario sarà recapitato a tutte le famiglie ed è già consultabile "
            "sull'app dell'azienda che gestisce il servizio.",
            "Restano invariati i giorni per l'umido e il vetro.",
        ),
    ),
    (
        "Teatro, a {place} presentata la nuova stagione di prosa",
        (
            "Dodici titoli, tre prime nazionali e un ciclo di letture per le scuole: è il "
            "cartellone della stagione di prosa presentato ieri a {place}.",
            "Gli abbonamenti saranno in vendita dalla prossima settimana, con riduzioni per "
            "studenti e over 65.",
            "Confermata anche la rassegna dedicata alle compagnie giovani del territorio.",
        ),
    ),
    (
        "{place}, nidi comunali: aperte le iscrizioni per il nuovo anno",
        (
            "Si aprono lunedì a {place} le iscrizioni ai nidi comunali per il prossimo anno "
            "educativo.",
            "Le domande si presentano online; gli uffici restano a disposizione delle famiglie "
            "che hanno bisogno di aiuto per la compilazione.",
            "Le graduatorie saranno pubblicate entro la fine della primavera.",
        ),
    ),
)

_LGNETEA = (
    "Inclusione, a {place} il bilancio finale della rete LgNetEA",
    (
        "Si è chiuso a {place} il percorso di LgNetEA, la rete dei Comuni che negli anni scorsi "
        "ha sperimentato servizi di emergenza per le persone straniere più vulnerabili.",
        "Nel bilancio presentato in Comune si parla di centinaia di colloqui, di accompagnamenti "
        "ai servizi sanitari e di alcune decine di persone uscite dalla strada.",
        "Gli operatori hanno chiesto che l'esperienza di LgNetEA non vada dispersa e che le "
        "équipe formate in questi anni restino al lavoro.",
    ),
)


def local_news(place: str, index: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of a local item that never names the project."""
    title, paragraphs = _LOCAL_NEWS[index % len(_LOCAL_NEWS)]
    return title.format(place=place), [p.format(place=place) for p in paragraphs]


def lgnetea_news(place: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of an item on the predecessor project only: not an LgNet2 mention."""
    title, paragraphs = _LGNETEA
    return title.format(place=place), [p.format(place=place) for p in paragraphs]
