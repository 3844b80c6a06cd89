"""The articles of the simulated web: synthetic Italian (and one German) local news.

All outlets, people and events are invented for the tests; only the LgNet2 project's public
facts (the 16 cities, FAMI funds, Ministero dell'Interno, ANCI, Cittalia, the three action
areas) are real. Variables are named by outlet prefix: CT = Cronaca Torino, GS = Genova Sera,
NN = Nuraghe News, PO = Pontina Oggi, AP = Agenzia Penisola, BT = Bozner Tagblatt,
LS = Lucania Sera, VN = Vetrina Notizie, VP = Vivi Perugia, VU = Vivi Umbria,
CO = Conca d'Oro Notizie.
"""

from __future__ import annotations

from simweb.cms import Story

_NETWORK = (
    "Il progetto LgNet2, «Rete dei Comuni per una rapida risposta e servizi per l'inclusione "
    "d'emergenza in aree urbane svantaggiate», è finanziato dal Fondo Asilo, Migrazione e "
    "Integrazione (FAMI) 2014-2020 ed è promosso dal Ministero dell'Interno con ANCI e la "
    "Fondazione Cittalia."
)

# -- Cronaca Torino (WordPress) -------------------------------------------------------------

CT_NETWORK = Story(
    path="/2023/10/17/torino-rete-lgnet2-casa-servizi-inclusione/",
    title="Torino fra i Comuni della rete LgNet2: casa e servizi per chi è appena arrivato",
    published="2023-10-17T10:40:00+02:00",
    byline="di Marta Bellini",
    author="Marta Bellini",
    paragraphs=(
        "Torino è una delle sedici città italiane che fanno parte di LgNet2, la rete dei Comuni "
        "per una rapida risposta e servizi per l'inclusione d'emergenza nelle aree urbane "
        "svantaggiate. Il progetto è finanziato dal Fondo Asilo, Migrazione e Integrazione "
        "(FAMI) 2014-2020 e viene gestito dal Ministero dell'Interno insieme ad ANCI e alla "
        "Fondazione Cittalia.",
        "Ieri mattina, nella sala delle Colonne del municipio, l'assessora alle politiche "
        "sociali ha presentato i primi risultati del lavoro svolto in città: sportelli di "
        "orientamento aperti in tre circoscrizioni, un servizio di mediazione linguistica su "
        "appuntamento e un elenco di alloggi temporanei messi a disposizione da cooperative e "
        "parrocchie.",
        "«Non si tratta solo di dare un tetto», ha spiegato. «Vogliamo che chi arriva trovi un "
        "unico punto di accesso, dove qualcuno lo ascolta, capisce di cosa ha bisogno e lo "
        "accompagna verso la scuola, il medico, il lavoro». È il modello dello sportello unico, "
        "il cosiddetto one stop shop, che la rete sperimenta in tutte le città aderenti.",
        "Sul fronte dell'abitare il Comune ha censito una trentina di appartamenti sfitti di "
        "proprietà pubblica che potranno essere ristrutturati con i fondi del progetto. Le "
        "prime dodici famiglie sono già entrate negli alloggi messi a disposizione nei "
        "quartieri di Barriera e Aurora.",
        "La terza linea di intervento riguarda l'impegno civico: gruppi di volontari, molti dei "
        "quali a loro volta arrivati in Italia pochi anni fa, affiancano gli operatori nelle "
        "attività di quartiere. Il calendario degli incontri aperti alla cittadinanza sarà "
        "pubblicato sul sito del Comune entro la fine del mese.",
    ),
)

CT_GARDENS = Story(
    path="/2023/10/20/circoscrizione-7-piano-giardini-vanchiglia/",
    title="Circoscrizione 7, via libera al piano per i giardini di Vanchiglia",
    published="2023-10-20T18:15:00+02:00",
    byline="di Paolo Arduino",
    author="Paolo Arduino",
    section="Politica",
    paragraphs=(
        "Il consiglio della Circoscrizione 7 ha approvato ieri sera, con diciotto voti "
        "favorevoli e quattro astenuti, il piano di manutenzione straordinaria dei giardini "
        "di Vanchiglia e Vanchiglietta.",
        "Il documento prevede la sostituzione delle panchine più rovinate, nuove fontanelle e "
        "un'area cani recintata lungo il fiume. I lavori dovrebbero cominciare a febbraio, "
        "quando il calendario delle potature sarà concluso.",
        "Le opposizioni hanno chiesto di rivedere l'illuminazione dei vialetti, giudicata "
        "insufficiente dai residenti che la sera attraversano il parco per raggiungere la "
        "fermata del tram. Il presidente ha promesso un sopralluogo con i tecnici entro "
        "novembre.",
        "Soddisfatte le associazioni del quartiere, che da due anni raccoglievano firme per "
        "riportare i giochi per bambini nella parte alta dei giardini.",
    ),
)

CT_VOLLEY = Story(
    path="/2023/10/22/pallavolo-borgo-san-paolo-vetta-classifica/",
    title="Pallavolo, le ragazze del Borgo San Paolo volano in vetta alla classifica",
    published="2023-10-22T21:05:00+02:00",
    byline="di Giulia Ferrero",
    author="Giulia Ferrero",
    section="Sport",
    paragraphs=(
        "Terza vittoria consecutiva per la squadra femminile del Borgo San Paolo, che nel "
        "palazzetto di casa ha superato per tre set a uno le avversarie di Chieri.",
        "Dopo un primo parziale perso ai vantaggi, le padrone di casa hanno cambiato ritmo "
        "grazie al servizio della giovane schiacciatrice arrivata in estate dal vivaio, "
        "autrice di diciannove punti.",
        "«Stiamo crescendo partita dopo partita», ha detto l'allenatore a fine gara. «Il "
        "gruppo è giovane ma lavora bene, e il pubblico ci dà una mano enorme». Sabato "
        "prossimo la trasferta a Novara contro l'altra capolista.",
    ),
)

CT_VOLLEY_COMMENTS = (
    ("Franca", "22 Ottobre 2023 alle 21:40", "Bravissime ragazze, finalmente una gioia!"),
    (
        "Mauro_T",
        "22 Ottobre 2023 alle 22:03",
        "Il palazzetto però cade a pezzi, serve la manutenzione del tetto prima dell'inverno.",
    ),
    (
        "Lucia B.",
        "23 Ottobre 2023 alle 08:12",
        "Ma del progetto LgNet2 non si parla più? "
        "Avevano detto che nella palestra della scuola avrebbero fatto anche corsi di italiano "
        "per le mamme del quartiere.",
    ),
    (
        "Franca",
        "23 Ottobre 2023 alle 09:30",
        "@Lucia B. i corsi li fanno il martedì, chiedi in biblioteca.",
    ),
)

CT_RESERVED = Story(
    path="/riservato/dossier-lgnet2-giunta/",
    title="Riservato: bozza del dossier LgNet2 per la giunta",
    published="2023-10-16T16:00:00+02:00",
    byline="di Redazione",
    section="Interno",
    paragraphs=(
        "Documento di lavoro non pubblicato: appunti della redazione sul dossier LgNet2 che "
        "la giunta discuterà la prossima settimana, con l'elenco degli alloggi e i numeri "
        "degli sportelli.",
        "Questa pagina non è destinata alla pubblicazione e non deve essere indicizzata.",
    ),
)

CT_READINGS = Story(
    path="/2023/10/25/circolo-lettori-settimana-romanzi-novecento/",
    title="Al Circolo dei lettori una settimana dedicata ai romanzi del Novecento",
    published="2023-10-25T12:30:00+02:00",
    byline="di Marta Bellini",
    author="Marta Bellini",
    section="Cultura",
    paragraphs=(
        "Sette serate, sette libri, sette voci: da lunedì il Circolo dei lettori dedica una "
        "settimana ai grandi romanzi italiani del Novecento, letti ad alta voce da attori "
        "del teatro cittadino.",
        "Si comincia con un classico ambientato nelle Langhe e si chiude con un romanzo "
        "scritto in una fabbrica di Ivrea. Ogni lettura sarà seguita da una conversazione "
        "con studiosi dell'università.",
        "L'ingresso è libero fino a esaurimento dei posti; per le serate del fine settimana "
        "è consigliata la prenotazione sul sito del Circolo.",
    ),
)

# -- Genova Sera (custom CMS, Atom, no metadata) --------------------------------------------

GS_DESK = Story(
    path="/cronaca/12873-genova-rete-lgnet2-sportello-unico-nuovi-cittadini.html",
    title="Genova nella rete LGNET2: apre lo sportello unico per i nuovi cittadini",
    published="2023-11-29T14:00:00+01:00",
    byline="By Alice Gipponi",
    author="Alice Gipponi",
    paragraphs=(
        "Anche Genova fa parte di LGNET2, la rete nazionale di sedici Comuni che lavorano "
        "insieme per l'inclusione dei cittadini stranieri nei quartieri più fragili. " + _NETWORK,
        "Il cuore dell'intervento genovese è uno sportello unico in centro storico: un solo "
        "indirizzo dove ricevere informazioni sui documenti, l'iscrizione anagrafica, i corsi "
        "di lingua e l'assistenza sanitaria, senza rimbalzare da un ufficio all'altro.",
        "Accanto allo sportello lavorano due unità mobili che raggiungono le persone dove "
        "vivono, dalla Val Polcevera a Sampierdarena. Gli operatori, affiancati da mediatori "
        "culturali, hanno già incontrato oltre quattrocento persone dall'inizio dell'anno.",
        "«La presa in carico funziona quando è vicina», ha detto la dirigente dei servizi "
        "sociali durante la presentazione. «Per questo la rete LGNET2 ci permette di "
        "confrontarci con città come Torino o Palermo, che affrontano gli stessi problemi».",
        "Il progetto prevede anche un fondo per l'inclusione abitativa: piccoli contributi per "
        "la caparra e il primo affitto destinati a chi esce dall'accoglienza.",
    ),
)

GS_LIGHTS = Story(
    path="/cronaca/12880-porto-antico-luminarie-festa-epifania.html",
    title="Porto Antico, accese le luminarie: festa fino all'Epifania",
    published="2023-12-01T09:30:00+01:00",
    byline="By Stefano Rebora",
    author="Stefano Rebora",
    paragraphs=(
        "Si sono accese ieri sera le luminarie del Porto Antico, che resteranno in funzione "
        "fino al 6 gennaio. Quest'anno il percorso parte dai Magazzini del Cotone e arriva "
        "alla piazza delle Feste.",
        "Il programma prevede concerti all'aperto nei fine settimana, un mercatino di "
        "artigianato ligure e una pista di pattinaggio per i più piccoli.",
        "Gli organizzatori consigliano di usare i mezzi pubblici: nelle sere di festa la "
        "metropolitana prolungherà le corse fino all'una di notte.",
    ),
)

GS_OLD_PROJECT = Story(
    path="/cronaca/12801-laboratori-quartiere-bilancio-lgnetea.html",
    title="Laboratori di quartiere, il bilancio del vecchio progetto LgNetEA",
    published="2023-11-10T11:15:00+01:00",
    byline="By Alice Gipponi",
    author="Alice Gipponi",
    paragraphs=(
        "A tre anni dalla conclusione, il Comune ha pubblicato il rapporto finale di LgNetEA, "
        "il progetto che aveva finanziato laboratori di quartiere e corsi di formazione per "
        "gli operatori dei servizi sociali.",
        "Secondo il documento, i laboratori hanno coinvolto circa seicento persone tra "
        "Cornigliano e il centro storico. Alcune attività sono proseguite grazie alle "
        "associazioni, altre si sono fermate con la fine dei finanziamenti.",
        "Il rapporto segnala come punto debole la mancanza di alloggi ponte per chi usciva "
        "dai centri di accoglienza, un tema che le associazioni chiedono di non dimenticare.",
    ),
)

GS_SAILING = Story(
    path="/sport/12866-regata-autunno-golfo-vince-sestri.html",
    title="Vela, regata d'autunno nel golfo: vince un equipaggio di Sestri Ponente",
    published="2023-11-26T18:05:00+01:00",
    byline="By Stefano Rebora",
    author="Stefano Rebora",
    section="Sport",
    paragraphs=(
        "Vento teso da nord e mare mosso per la regata d'autunno, che ha visto al via "
        "trentadue imbarcazioni nelle acque davanti alla Fiera.",
        "Dopo tre prove ha vinto un equipaggio di Sestri Ponente, che ha preceduto di pochi "
        "secondi due barche di Santa Margherita. Annullata per il vento la quarta prova.",
        "La stagione si chiuderà a dicembre con la tradizionale veleggiata di Natale.",
    ),
)

# -- Nuraghe News (Sassari, sitemaps) ------------------------------------------------------

NN_MOBILE_UNITS = Story(
    path="/2023/11/22/sassari-lgnet-2-unita-mobili-quartieri/",
    title="Sassari nel progetto nazionale LgNet 2: unità mobili nei quartieri a rischio",
    published="2023-11-22T12:00:00+01:00",
    byline="Redazione",
    paragraphs=(
        "Sassari è tra le sedici città della rete LgNet 2, il progetto nazionale che punta a "
        "ridurre il rischio di esclusione sociale dei cittadini stranieri nelle aree urbane "
        "più svantaggiate.",
        "In città il progetto si concentra sulle unità di strada: due équipe composte da "
        "assistenti sociali, educatori e mediatori che ogni settimana percorrono il centro "
        "storico, Latte Dolce e Santa Maria di Pisa per intercettare chi non si rivolge ai "
        "servizi.",
        "«Molte persone non sanno di avere diritto a un medico di base o a un corso di "
        "lingua», spiega la coordinatrice. «Andare da loro è il modo più semplice per "
        "cominciare».",
        "Le attività sono finanziate dal FAMI e coordinate a livello nazionale da ANCI e "
        "Cittalia per conto del Ministero dell'Interno.",
    ),
)

NN_BUDGET = Story(
    path="/2023/11/20/bilancio-previsione-consiglio-comunale-seduta-fiume/",
    title="Bilancio di previsione, il consiglio comunale approva dopo una seduta fiume",
    published="2023-11-20T23:40:00+01:00",
    byline="di Giovanni Mura",
    author="Giovanni Mura",
    section="Politica",
    paragraphs=(
        "Dopo quasi dieci ore di discussione il consiglio comunale ha approvato il bilancio "
        "di previsione per il prossimo triennio.",
        "Tra le voci principali, la manutenzione delle strade di periferia e un aumento dei "
        "fondi per il trasporto scolastico. Respinti tutti gli emendamenti della minoranza.",
        "Il sindaco ha parlato di un bilancio prudente, che non aumenta le tariffe e lascia "
        "margini per i progetti finanziati dall'Unione europea.",
    ),
)

NN_MEDIATORS = Story(
    path="/2023/11/24/sassari-ignet2-mediatori-culturali-servizi-sociali/",
    title="Sassari, con Ignet2 arrivano i mediatori culturali nei servizi sociali",
    published="2023-11-24T09:20:00+01:00",
    byline="di Giovanni Mura",
    author="Giovanni Mura",
    paragraphs=(
        "Da lunedì negli uffici dei servizi sociali di via Roma lavoreranno quattro mediatori "
        "culturali. È uno dei risultati del progetto Ignet2, la rete dei Comuni per "
        "l'inclusione finanziata dai fondi europei FAMI.",
        "I mediatori parlano arabo, wolof, bengalese e romeno, le lingue più diffuse tra le "
        "famiglie straniere che si rivolgono al Comune.",
        "Secondo l'assessorato, la presenza dei mediatori dovrebbe ridurre i tempi delle "
        "pratiche e gli appuntamenti mancati, che oggi sono quasi uno su tre.",
    ),
)

NN_FESTIVALS = Story(
    path="/2023/11/25/tradizioni-calendario-feste-primavera/",
    title="Tradizioni, presentato il calendario delle feste di primavera",
    published="2023-11-25T17:00:00+01:00",
    byline="Redazione",
    section="Cultura",
    paragraphs=(
        "Presentato in municipio il calendario delle feste tradizionali della prossima "
        "primavera, con le date delle sfilate e dei concerti in piazza.",
        "Confermata la presenza dei gruppi in costume di tutta la provincia e delle "
        "confraternite che accompagnano le processioni del centro storico.",
        "Il programma completo sarà disponibile a gennaio sul sito del Comune.",
    ),
)

# -- Pontina Oggi (Latina, listing pages, visible Italian dates) -----------------------------

PO_NETWORK = Story(
    path="/cronaca/latina-rete-lgnet2-inclusione-cittadini-stranieri/",
    title="Latina entra nella rete Lgnet2: inclusione e integrazione dei cittadini stranieri",
    published="2023-10-27T10:12:00+02:00",
    byline="di Luca Ferri",
    author="Luca Ferri",
    paragraphs=(
        "Latina è uno dei sedici Comuni italiani della rete Lgnet2, il progetto nazionale per "
        "l'inclusione dei cittadini stranieri nelle aree urbane in difficoltà, sostenuto dal "
        "Fondo Asilo, Migrazione e Integrazione.",
        "Nel capoluogo pontino il lavoro parte dalle campagne: molti lavoratori stranieri "
        "vivono lontano dal centro, in borghi serviti male dai mezzi pubblici. Per questo il "
        "Comune ha scelto di puntare su un'unità mobile che si sposta tra Borgo Sabotino, "
        "Borgo Grappa e Latina Scalo.",
        "A bordo ci sono un'assistente sociale e un mediatore: aiutano a compilare le domande "
        "per i documenti, a prenotare le visite mediche e a trovare un corso di italiano.",
        "«Vogliamo che i servizi arrivino a tutti, non solo a chi abita in centro», ha detto "
        "l'assessore al welfare durante la conferenza stampa con i rappresentanti di ANCI e "
        "Cittalia.",
    ),
)

PO_ROADWORKS = Story(
    path="/cronaca/lavori-pontina-chiusure-notturne-dicembre/",
    title="Lavori sulla Pontina, chiusure notturne fino a metà dicembre",
    published="2023-10-30T08:00:00+01:00",
    byline="di Luca Ferri",
    author="Luca Ferri",
    paragraphs=(
        "Da stasera e fino a metà dicembre la strada regionale Pontina sarà chiusa di notte "
        "in alcuni tratti tra Aprilia e Latina per il rifacimento dell'asfalto.",
        "Le chiusure andranno dalle 22 alle 6 del mattino; il traffico sarà deviato sulle "
        "strade provinciali parallele, con indicazioni sul posto.",
        "Gli automobilisti sono invitati a consultare il sito dell'ente gestore prima di "
        "mettersi in viaggio.",
    ),
)

PO_LIBRARY = Story(
    path="/cronaca/sezze-riapre-biblioteca-comunale/",
    title="Sezze, riapre la biblioteca comunale dopo i lavori",
    published="2023-10-20T11:00:00+02:00",
    byline="di Chiara Salvi",
    author="Chiara Salvi",
    section="Cultura",
    paragraphs=(
        "Dopo un anno di lavori riapre sabato la biblioteca comunale di Sezze, con una nuova "
        "sala per i ragazzi e postazioni per lo studio aperte fino a sera.",
        "Il patrimonio di oltre ventimila volumi è stato catalogato di nuovo e sarà "
        "consultabile online.",
        "Per l'inaugurazione è prevista una lettura di fiabe per i bambini delle elementari.",
    ),
)

PO_FOOTBALL = Story(
    path="/sport/calcio-latina-pareggio-capolista/",
    title="Calcio, il Latina ferma la capolista: pareggio al Francioni",
    published="2023-11-04T19:30:00+01:00",
    byline="di Chiara Salvi",
    author="Chiara Salvi",
    section="Sport",
    paragraphs=(
        "Un punto prezioso per il Latina, che allo stadio Francioni ha fermato sull'uno a uno "
        "la capolista del girone.",
        "Passati in svantaggio su calcio di rigore, i nerazzurri hanno pareggiato nella "
        "ripresa con un colpo di testa su calcio d'angolo.",
        "Domenica prossima la trasferta in Campania, poi due partite consecutive in casa.",
    ),
)

# -- Agenzia Penisola (agency, two services on one host) ------------------------------------

AP_TURIN = Story(
    path="/regioni/piemonte/2023/10/18/torino-rete-lgnet2-alloggio-160-persone_4f81c2.html",
    title="Torino nella rete LgNet2, alloggio per 160 persone in un anno",
    published="2023-10-18T13:22:00+02:00",
    section="Piemonte",
    paragraphs=(
        "In un anno 160 persone hanno trovato un alloggio grazie al progetto LgNet2, la rete "
        "dei Comuni per l'inclusione finanziata con fondi europei FAMI. Lo ha reso noto oggi "
        "il Comune di Torino.",
        "Gli inserimenti abitativi riguardano soprattutto nuclei familiari con bambini e "
        "giovani usciti dai centri di accoglienza. Il progetto, coordinato da ANCI e "
        "Cittalia per il Ministero dell'Interno, comprende anche sportelli di orientamento e "
        "attività di impegno civico.",
    ),
)

AP_CASERTA = Story(
    path="/nazionale/2023/11/24/migranti-caserta-lgnet2-sportelli-unita-mobili_9c02d7.html",
    title="Migranti, a Caserta sportelli e unità mobili con la rete LgNet2",
    published="2023-11-24T15:47:00+01:00",
    section="Cronaca",
    paragraphs=(
        "Sportelli di orientamento e unità mobili nei quartieri: così Caserta partecipa a "
        "LgNet2, la rete di sedici Comuni per l'inclusione dei migranti finanziata dal Fondo "
        "Asilo, Migrazione e Integrazione.",
        "Il programma è stato illustrato oggi in municipio. Nei primi mesi gli operatori "
        "hanno seguito oltre duecento persone, in gran parte lavoratori agricoli.",
    ),
)

AP_WEATHER = Story(
    path="/regioni/liguria/2023/11/15/maltempo-allerta-gialla-liguria_1a2b3c.html",
    title="Maltempo, allerta gialla in Liguria fino a domani sera",
    published="2023-11-15T11:05:00+01:00",
    section="Liguria",
    paragraphs=(
        "La protezione civile regionale ha diramato un'allerta gialla per piogge e temporali "
        "su tutta la Liguria, valida fino alle 20 di domani.",
        "Previsti rovesci intensi soprattutto sul centro-levante; i Comuni hanno attivato i "
        "centri operativi e chiuso alcuni sottopassi.",
    ),
)

AP_JOBS = Story(
    path="/nazionale/2023/11/28/lavoro-stabile-occupazione-ottobre_77aa10.html",
    title="Lavoro, stabile a ottobre il tasso di occupazione",
    published="2023-11-28T10:00:00+01:00",
    section="Economia",
    paragraphs=(
        "Resta stabile a ottobre il tasso di occupazione, secondo le stime mensili diffuse "
        "oggi. In lieve calo la disoccupazione giovanile.",
        "Crescono i contratti a tempo indeterminato, mentre diminuiscono i lavoratori "
        "autonomi rispetto allo stesso mese dell'anno scorso.",
    ),
)

# -- Bozner Tagblatt (German, Bolzano) ------------------------------------------------------

BT_NETWORK = Story(
    path="/lokales/bozen/2023/10/19/integration-migranten-bozen-netzwerk-lgnet2",
    title="Integration von Migranten: Bozen ist Teil des Netzwerks LgNet2",
    published="2023-10-19T16:30:00+02:00",
    byline="Von Andreas Pichler",
    author="Andreas Pichler",
    section="Lokales",
    paragraphs=(
        "Bozen gehört zu den sechzehn italienischen Städten des Netzwerks LgNet2, das die "
        "Integration von Migrantinnen und Migranten in benachteiligten Stadtvierteln fördert. "
        "Finanziert wird das Projekt aus dem europäischen Asyl-, Migrations- und "
        "Integrationsfonds.",
        "Umgesetzt wird es vom Betrieb für Sozialdienste Bozen. Im Mittelpunkt stehen eine "
        "zentrale Anlaufstelle, mobile Teams in den Stadtvierteln und Hilfe bei der "
        "Wohnungssuche.",
        "Bei einem Treffen mit Vertretern des italienischen Gemeindenverbands ANCI und der "
        "Stiftung Cittalia wurde am Donnerstag eine erste Bilanz gezogen. Rund dreihundert "
        "Menschen hätten die Beratung bereits in Anspruch genommen, hieß es.",
    ),
)

BT_MARKET = Story(
    path="/lokales/bozen/2023/11/23/christkindlmarkt-waltherplatz-eroeffnung",
    title="Christkindlmarkt auf dem Waltherplatz öffnet am Freitag",
    published="2023-11-23T09:00:00+01:00",
    byline="Von Lisa Mair",
    author="Lisa Mair",
    section="Lokales",
    paragraphs=(
        "Am Freitag öffnet der Christkindlmarkt auf dem Waltherplatz seine Tore. Rund achtzig "
        "Stände bieten Handwerk, Glühwein und Südtiroler Spezialitäten an.",
        "Die Stadtverwaltung empfiehlt, mit dem Bus oder dem Zug anzureisen, da die "
        "Parkplätze in der Altstadt an den Wochenenden schnell belegt sind.",
    ),
)

BT_BIKES = Story(
    path="/lokales/bozen/2023/11/08/neue-radwege-talfer-genehmigt",
    title="Neue Radwege entlang der Talfer genehmigt",
    published="2023-11-08T14:10:00+01:00",
    byline="Von Andreas Pichler",
    author="Andreas Pichler",
    section="Lokales",
    paragraphs=(
        "Der Gemeinderat hat den Bau von zwei neuen Radwegen entlang der Talfer genehmigt. "
        "Die Arbeiten sollen im Frühjahr beginnen.",
        "Die neuen Strecken verbinden die Talferwiesen mit den Schulen im Stadtteil Gries.",
    ),
)

# -- Lucania Sera (old PHP site, ISO-8859-1) ------------------------------------------------

LS_NETWORK = Story(
    path="/articolo.php?id=5512",
    title="Inclusione sociale: c'è anche Potenza tra le sedici città della rete LgNet2",
    published="2023-11-16T08:45:00+01:00",
    byline="di Rocco Laurenzana",
    author="Rocco Laurenzana",
    paragraphs=(
        "C'è anche Potenza tra le sedici città della rete LgNet2, il progetto nazionale che "
        "aiuta i Comuni a rispondere più in fretta ai bisogni dei cittadini stranieri. " + _NETWORK,
        "Perché proprio Potenza? Perché la città, pur essendo piccola, accoglie ogni anno "
        "giovani arrivati da soli e famiglie che cercano lavoro nelle aziende della "
        "provincia, e i servizi sociali faticano a seguirli tutti.",
        "Con i fondi della rete il Comune ha aperto uno sportello di orientamento in centro e "
        "avviato un orto sociale dove ragazzi italiani e stranieri lavorano insieme: un modo "
        "per imparare la lingua e sentirsi parte della città.",
        "«Più che un progetto è un metodo», spiega l'assessora. «Le sedici città si "
        "scambiano esperienze e strumenti, e questo per una realtà come la nostra vale più "
        "di qualsiasi finanziamento».",
    ),
)

LS_PARKING = Story(
    path="/articolo.php?id=5520",
    title="Potenza, più parcheggi in centro: via libera al piano della sosta",
    published="2023-11-18T10:00:00+01:00",
    byline="di Rocco Laurenzana",
    author="Rocco Laurenzana",
    paragraphs=(
        "La giunta ha approvato il nuovo piano della sosta: più parcheggi a pagamento in "
        "centro e tariffe ridotte per i residenti.",
        "Perché il piano funzioni, spiega l'assessore alla mobilità, servono anche le scale "
        "mobili: per questo gli orari saranno prolungati fino a mezzanotte.",
        "I commercianti chiedono più stalli per il carico e lo scarico delle merci nella "
        "città alta.",
    ),
)

LS_YOUTH = Story(
    path="/articolo.php?id=5498",
    title="Basilicata, perché i giovani se ne vanno: un'indagine dell'università",
    published="2023-11-13T12:00:00+01:00",
    byline="di Teresa Lorusso",
    author="Teresa Lorusso",
    paragraphs=(
        "Più di un giovane lucano su tre pensa di lasciare la regione entro cinque anni: è "
        "il dato principale di un'indagine condotta dall'università tra gli studenti.",
        "Tra i motivi indicati ci sono la mancanza di lavoro qualificato e i collegamenti "
        "difficili con le altre città del Sud.",
        "I ricercatori propongono borse per chi sceglie di restare e più investimenti nei "
        "trasporti.",
    ),
)

# -- Vetrina Notizie (aggregator) -----------------------------------------------------------

VN_GENOA = Story(
    path="/genova/notizie/genova-lgnet2-sportello-unico-nuovi-cittadini-7781234.html",
    title="Genova, con LgNet2 uno sportello unico in centro storico per i nuovi cittadini",
    published="2023-11-29T14:32:00+01:00",
    section="Genova",
    paragraphs=(
        "Genova fa parte della rete nazionale LgNet2 per l'inclusione dei cittadini "
        "stranieri: in centro storico apre uno sportello unico per documenti, corsi di lingua "
        "e assistenza sanitaria, affiancato da due unità mobili nei quartieri.",
    ),
)

VN_TURIN = Story(
    path="/torino/notizie/torino-lgnet2-alloggi-servizi-chi-arriva-7712001.html",
    title="Torino nella rete LgNet2: alloggi e servizi per chi arriva in città",
    published="2023-10-17T11:05:00+02:00",
    section="Torino",
    paragraphs=(
        "Sportelli di orientamento in tre circoscrizioni, mediazione linguistica e alloggi "
        "temporanei: il Comune di Torino presenta i primi risultati di LgNet2, la rete "
        "nazionale per l'inclusione dei migranti.",
    ),
)

VN_ROADWORKS = Story(
    path="/latina/notizie/lavori-pontina-chiusure-notturne-7745678.html",
    title="Pontina, di notte strada chiusa per lavori fino a dicembre",
    published="2023-10-30T08:20:00+01:00",
    section="Latina",
    paragraphs=(
        "Chiusure notturne tra Aprilia e Latina per il rifacimento dell'asfalto della "
        "Pontina, dalle 22 alle 6, fino a metà dicembre.",
    ),
)

# -- Vivi Perugia and Vivi Umbria (same press release, two outlets) -------------------------

_PERUGIA_TEXT = (
    "Perugia fa parte di LgNet2, la rete di sedici Comuni italiani che collaborano per "
    "rispondere in modo rapido ai bisogni dei cittadini stranieri che vivono nelle aree "
    "urbane più svantaggiate.",
    _NETWORK,
    "In città le attività si concentrano nella zona di Fontivegge, dove apre uno sportello "
    "di presa in carico con operatori sociali e mediatori, e dove partiranno laboratori di "
    "impegno civico con le associazioni del quartiere.",
    "Una parte dei fondi sarà dedicata all'inclusione abitativa, con un servizio di "
    "accompagnamento nella ricerca della casa e piccoli contributi per l'affitto.",
    "Il Comune presenterà il programma completo in un incontro pubblico aperto alla "
    "cittadinanza nelle prossime settimane.",
)

VP_NETWORK = Story(
    path="/2023/10/23/perugia-comuni-rete-lgnet2-inclusione/",
    title="Perugia fra i Comuni della rete LgNet2, il progetto che promuove l'inclusione",
    published="2023-10-23T09:10:00+02:00",
    paragraphs=_PERUGIA_TEXT,
)

VP_CRAFTS = Story(
    path="/2023/10/24/corso-vannucci-mercatini-artigianato/",
    title="Corso Vannucci, al via i mercatini dell'artigianato",
    published="2023-10-24T10:00:00+02:00",
    section="Cultura",
    paragraphs=(
        "Tornano in corso Vannucci i mercatini dell'artigianato umbro: ceramiche, tessuti e "
        "lavori in legno ogni fine settimana fino a Natale.",
        "Gli espositori sono una cinquantina, molti dei quali giovani artigiani alla prima "
        "esperienza in centro storico.",
        "Il sabato pomeriggio sono previsti laboratori per bambini nella piazza principale.",
    ),
)

VP_MINIMETRO = Story(
    path="/2023/10/26/minimetro-consiglio-comunale-corse-mezzanotte/",
    title="Minimetrò, il consiglio comunale chiede corse fino a mezzanotte",
    published="2023-10-26T19:00:00+02:00",
    section="Politica",
    paragraphs=(
        "Il consiglio comunale ha approvato all'unanimità una mozione che chiede di "
        "prolungare le corse del Minimetrò fino a mezzanotte nel fine settimana.",
        "La proposta nasce dalle richieste degli studenti universitari e dei locali del "
        "centro, che lamentano la mancanza di collegamenti serali.",
        "Ora la parola passa all'azienda dei trasporti, che dovrà valutarne i costi.",
    ),
)

VU_NETWORK = Story(
    path="/2023/10/23/perugia-rete-lgnet2-politiche-inclusione/",
    title="Perugia nella rete LgNet2 per le politiche di inclusione delle città",
    published="2023-10-23T11:30:00+02:00",
    paragraphs=_PERUGIA_TEXT,
)

VU_LAKE = Story(
    path="/2023/10/29/trasimeno-stagione-pesca-bilancio/",
    title="Trasimeno, la stagione della pesca si chiude con un bilancio positivo",
    published="2023-10-29T12:00:00+01:00",
    section="Ambiente",
    paragraphs=(
        "Si chiude con un bilancio positivo la stagione della pesca sul lago Trasimeno: più "
        "pescato rispetto all'anno scorso e prezzi stabili.",
        "I pescatori chiedono però interventi contro l'abbassamento del livello dell'acqua, "
        "che in estate ha reso difficile l'uscita delle barche.",
    ),
)

# -- Conca d'Oro Notizie (Palermo, WordPress with a broken feed) -----------------------------

CO_BALLARO = Story(
    path="/2023/11/03/palermo-rete-lgnet2-ballaro-sportello-nuovi-arrivati/",
    title="Palermo fra i Comuni della rete LgNet2: a Ballarò lo sportello per i nuovi arrivati",
    published="2023-11-03T13:00:00+01:00",
    byline="di Rosalia Vitale",
    author="Rosalia Vitale",
    paragraphs=(
        "Palermo è tra le sedici città della rete LgNet2 e ha scelto di partire da Ballarò, "
        "il quartiere dove vive una parte importante della comunità straniera cittadina.",
        "Lo sportello, aperto in un locale comunale vicino al mercato, offre orientamento sui "
        "documenti, consulenza legale e un primo contatto con i servizi sanitari. Accanto "
        "agli operatori lavorano mediatori che parlano arabo, bengalese e lingue "
        "dell'Africa occidentale.",
        "«L'idea è quella dello one stop shop: una sola porta per molte risposte», spiega la "
        "responsabile del servizio. «Chi arriva non deve più girare la città da un ufficio "
        "all'altro».",
        "Il progetto è finanziato dal FAMI e coordinato da ANCI e Fondazione Cittalia per il "
        "Ministero dell'Interno. A Palermo prevede anche percorsi di impegno civico nelle "
        "scuole del centro storico.",
    ),
)

CO_SEAFRONT = Story(
    path="/2023/11/05/mondello-lavori-lungomare-cantiere-primavera/",
    title="Mondello, partono i lavori sul lungomare: cantiere fino a primavera",
    published="2023-11-05T09:00:00+01:00",
    byline="di Rosalia Vitale",
    author="Rosalia Vitale",
    paragraphs=(
        "Sono cominciati i lavori di rifacimento del lungomare di Mondello: nuovi marciapiedi, "
        "illuminazione a basso consumo e una pista ciclabile fino a Valdesi.",
        "Il cantiere procederà per tratti per non chiudere del tutto la strada e dovrebbe "
        "concludersi prima della stagione balneare.",
    ),
)

CO_OPERA = Story(
    path="/2023/11/08/opera-nuova-stagione-teatro-apre-verdi/",
    title="Opera, la nuova stagione del teatro cittadino apre con Verdi",
    published="2023-11-08T17:30:00+01:00",
    byline="di Nino Caruso",
    author="Nino Caruso",
    section="Cultura",
    paragraphs=(
        "Sarà un titolo di Verdi ad aprire a gennaio la nuova stagione lirica del teatro "
        "cittadino, con una regia affidata a un giovane regista siciliano.",
        "In cartellone anche due opere del Novecento e un ciclo di concerti sinfonici "
        "dedicati alle scuole.",
    ),
)
