"""What the mirror holds: the outlets' sites and the LgNet2 stories of the reference.

Hostnames, article URLs, dates and bylines are the reference's facts (a byline the reference
prints as "A. Gipponi" appears on the page in full, as a site prints it; first names other than
the reference's initials are invented). Titles are the synthetic headlines of the repository's
copy of the reference (``tests/fixtures/reference``) and must stay equal to them. Each site
also carries decoys (local news, an item on the predecessor LgNetEA) and, like the real sites,
a sidebar of its latest titles, so every decoy page shows "LgNet2" outside its main text.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from tests.mirror import texts

TOPIC = "LgNet2"

_CEST = timezone(timedelta(hours=2))
_CET = timezone(timedelta(hours=1))
_DST_END = date(2023, 10, 29)


def rome_time(day: str, clock: str) -> datetime:
    """A local time in Italy in autumn 2023 (summer time ended on 29 October)."""
    parsed = datetime.fromisoformat(f"{day}T{clock}:00")
    return parsed.replace(tzinfo=_CEST if parsed.date() < _DST_END else _CET)


def slugify(text: str, sep: str = "-") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", sep, plain.lower()).strip(sep)


@dataclass(frozen=True)
class Site:
    """One outlet's web site, as its CMS lays it out."""

    host: str
    name: str
    """The site's own name (``og:site_name``)."""
    cms: str
    """Template family, see ``mirror.pages``."""
    place: str
    """Home town, the setting of the site's decoy news."""
    permalink: str
    """Decoy URL path pattern with ``{y} {m} {d} {slug} {Slug} {id} {uuid} {UUID} {city}``."""
    base_id: int = 1000
    feeds: tuple[str, ...] = ()
    sitemap: str | None = None
    """``core`` (WordPress 5.5+), ``yoast`` (redirect to a Yoast index) or ``news`` (Yoast
    with a Google News sitemap)."""
    search: bool = False
    """WordPress site search (``/?s=``) and REST search (``/wp-json/wp/v2/posts``)."""
    listings: tuple[str, ...] = ()
    """Paths of listing pages besides the home page."""
    tracking_feed: bool = False
    """Feed links carry ``utm_*`` parameters, as an RSS plugin adds them."""

    @property
    def wordpress(self) -> bool:
        return self.cms.startswith("wp_") or self.cms == "aggregator_wp"

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"


@dataclass(frozen=True)
class Doc:
    """One article page of the mirror: a reference story or a decoy."""

    url: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    kind: str
    """``story``, ``local`` or ``lgnetea``."""
    post_id: int
    author: str | None = None
    """Byline as printed on the page; None when the page prints none."""
    source: tuple[str, str] | None = None
    """Aggregator pages: (original brand, original URL)."""
    fail_first: int = 0

    @property
    def excerpt(self) -> str:
        first = self.paragraphs[0]
        return first if len(first) < 220 else first[:217].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Story:
    """A reference row the crawler must find on the mirror."""

    row: int
    url: str
    title: str
    day: str
    clock: str
    city: str
    author: str | None = None
    source: tuple[str, str] | None = None
    spelling: str = TOPIC
    """How the body spells the project (the real coverage has several spellings)."""
    fail_first: int = 0

    @property
    def host(self) -> str:
        return self.url.split("/")[2]


_WP_FEED = ("/feed/",)

SITES: tuple[Site, ...] = (
    Site(
        "www.torinoggi.it",
        "Torinoggi.it",
        "morenews",
        "Torino",
        "/{y}/{m}/{d}/leggi-notizia/argomenti/cronaca-11/articolo/{slug}.html",
        feeds=(
            "/links/rss/argomenti/attualita-8/rss.xml",
            "/links/rss/argomenti/cronaca-11/rss.xml",
        ),
    ),
    Site(
        "www.altoadige.it",
        "Alto Adige",
        "gedi",
        "Bolzano",
        "/cronaca/bolzano/{slug}-1.{id}",
        base_id=3608900,
        feeds=("/feed-rss", "/feed-rss/cronaca-1.169"),
        listings=("/cronaca/bolzano",),
    ),
    Site(
        "www.vivereperugia.it",
        "Vivere Perugia",
        "vivere",
        "Perugia",
        "/{y}/{m}/{d}/{slug}/{id}/",
        base_id=191200,
    ),
    Site(
        "www.vivereterni.it",
        "Vivere Terni",
        "vivere",
        "Terni",
        "/{y}/{m}/{d}/{slug}/{id}/",
        base_id=191150,
    ),
    Site(
        "www.vivereumbria.biz",
        "Vivere Umbria",
        "vivere",
        "Foligno",
        "/{y}/{m}/{d}/{slug}/{id}/",
        base_id=191180,
    ),
    Site(
        "www.varese7press.it",
        "Varese7Press",
        "wp_newspaper",
        "Varese",
        "/{y}/{m}/{d}/{slug}/",
        base_id=88100,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.dietrolanotizia.eu",
        "Dietro la Notizia",
        "wp_classic",
        "Milano",
        "/{y}/{m}/{slug}/",
        base_id=45200,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.mondoreale.it",
        "Mondoreale",
        "wp_jnews",
        "Latina",
        "/{y}/{m}/{slug}/",
        base_id=30400,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
        tracking_feed=True,
    ),
    Site(
        "www.latinanews.eu",
        "LatinaNews",
        "wp_newspaper",
        "Latina",
        "/{slug}/",
        base_id=12800,
        feeds=_WP_FEED,
        sitemap="yoast",
        search=True,
        tracking_feed=True,
    ),
    Site(
        "www.siciliaoggi.it",
        "Siciliaoggi Notizie",
        "wp_jnews",
        "Palermo",
        "/{y}/{m}/{d}/{slug}/",
        base_id=77300,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.ilmattinoquotidiano.it",
        "Il Mattino di Basilicata",
        "mattino",
        "Potenza",
        "/news/basilicata-free/{id}/{slug}.html",
        base_id=68400,
        listings=("/news/basilicata-free/",),
    ),
    Site(
        "www.puglialive.net",
        "PugliaLive",
        "wp_classic",
        "Bari",
        "/{slug}/",
        base_id=51900,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.tarantobuonasera.it",
        "Taranto BuonaSera",
        "buonasera",
        "Taranto",
        "/news/cronaca/{id}/{slug}.html",
        base_id=827500,
        listings=("/news/cronaca/",),
    ),
    Site(
        "www.sardegna-reporter.it",
        "Sardegna Reporter",
        "wp_newspaper",
        "Cagliari",
        "/{y}/{m}/{slug}/{id}/",
        base_id=572950,
        feeds=_WP_FEED,
        sitemap="yoast",
        search=True,
    ),
    Site(
        "casertaweb.com",
        "CasertaWeb",
        "wp_classic",
        "Caserta",
        "/notizie/{slug}/",
        base_id=24100,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.genova24.it",
        "Genova24",
        "wp_classic",
        "Genova",
        "/{y}/{m}/{slug}-{id}/",
        base_id=365900,
        feeds=_WP_FEED,
        sitemap="news",
        search=True,
    ),
    Site(
        "triestecafe.it",
        "Trieste Cafè",
        "cafe",
        "Trieste",
        "/it/news/cronaca/{slug}.html",
        listings=("/it/news/cronaca/",),
    ),
    Site(
        "ildiscorso.it",
        "Il Discorso",
        "wp_jnews",
        "Trieste",
        "/{slug}/",
        base_id=61700,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.quindicinews.it",
        "Quindici News",
        "wp_classic",
        "Monza",
        "/{y}/{m}/{slug}/",
        base_id=9800,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.virgilio.it",
        "Virgilio Notizie",
        "virgilio",
        "Italia",
        "/italia/{city}/notizielocali/{slug}-{id}.html",
        base_id=72145700,
    ),
    Site(
        "www.controluce.it",
        "Controluce",
        "wp_newspaper",
        "Monte Compatri",
        "/{slug}/",
        base_id=40300,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.sassilive.it",
        "SassiLive",
        "wp_jnews",
        "Matera",
        "/salute-e-sociale/sociale-sanita/{slug}/",
        base_id=250100,
        feeds=_WP_FEED,
        sitemap="yoast",
        search=True,
    ),
    Site("www.informazione.it", "Informazione.it", "informazione", "Italia", "/a/{UUID}/{Slug}"),
    Site(
        "mediterraneews.org",
        "Mediterranews",
        "wp_classic",
        "Sassari",
        "/{y}/{m}/{d}/{slug}/",
        base_id=7400,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.casertanotizie.com",
        "Caserta Notizie",
        "wp_newspaper",
        "Caserta",
        "/attualita/{y}/{m}/{d}/{slug}/",
        base_id=143200,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.zazoom.it", "Zazoom", "zazoom", "Italia", "/{y}-{m}-{d}/{slug}/{id}/", base_id=13872900
    ),
    Site(
        "www.pubblicanow.it",
        "Pubblica Now",
        "wp_jnews",
        "Caserta",
        "/{y}/{m}/{d}/{slug}/",
        base_id=36600,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.liguria24.it",
        "Liguria24",
        "aggregator_wp",
        "Liguria",
        "/{y}/{m}/{d}/{slug}/{id}/",
        base_id=387950,
        feeds=_WP_FEED,
    ),
    Site(
        "liguria.bizjournal.it",
        "Liguria Business Journal",
        "wp_classic",
        "Genova",
        "/{y}/{m}/{slug}/",
        base_id=110300,
        feeds=_WP_FEED,
        sitemap="core",
        search=True,
    ),
    Site(
        "www.fvgcafe.it",
        "Fvg Cafè",
        "cafe",
        "Udine",
        "/it/news/trieste/cronaca/{slug}.html",
        listings=("/it/news/trieste/",),
    ),
    Site(
        "www.rainews.it",
        "RaiNews",
        "rainews",
        "Potenza",
        "/tgr/basilicata/articoli/{y}/{m}/{slug}-{uuid}.html",
        feeds=("/rss/tutti",),
        listings=("/tgr/basilicata/",),
    ),
)

_TORINO = (
    "https://www.torinoggi.it/2023/10/17/leggi-notizia/argomenti/attualita-8/articolo/"
    "torino-fra-i-comuni-della-rete-lgnet2-il-progetto-che-promuove-le-politiche-di-"
    "inclusione-delle-cit.html"
)
_SARDEGNA_REPORTER = (
    "https://www.sardegna-reporter.it/2023/11/sassari-fra-i-comuni-della-rete-lgnet2-il-"
    "progetto-che-promuove-le-politiche-di-inclusione-delle-citta/573012/"
)
_CASERTA_NOTIZIE = (
    "https://www.casertanotizie.com/attualita/2023/11/24/migranti-a-caserta-il-progetto-"
    "lgnet2-con-fondi-europei/"
)
_GENOVA24 = (
    "https://www.genova24.it/2023/11/genova-fra-i-comuni-della-rete-lgnet2-il-progetto-che-"
    "promuove-le-politiche-di-inclusione-delle-citta-365972/"
)
_BIZJOURNAL = (
    "https://liguria.bizjournal.it/2023/11/genova-fra-i-comuni-della-rete-lgnet2-che-promuove-"
    "le-politiche-di-inclusione-delle-citta/"
)
_TRIESTE_CAFE = (
    "https://triestecafe.it/it/news/cronaca/trieste-fra-i-comuni-della-rete-lgnet2-il-progetto-"
    "che-promuove-le-politiche-di-inclusione.html"
)

STORIES: tuple[Story, ...] = (
    Story(
        11,
        _TORINO,
        "Torino e la rete LgNet2, così la città accoglie chi arriva",
        "2023-10-17",
        "11:32",
        "Torino",
    ),
    Story(
        12,
        "https://www.altoadige.it/cronaca/bolzano/inclusione-dei-migranti-tappa-a-bolzano-"
        "per-il-tour-anci-1.3608970",
        "Bolzano ospita l'incontro sull'accoglienza dei migranti",
        "2023-10-19",
        "19:05",
        "Bolzano",
    ),
    Story(
        13,
        "https://www.vivereperugia.it/2023/10/24/perugia-fra-i-comuni-della-rete-lgnet2-"
        "il-progetto-che-promuove-le-politiche-di-inclusione-delle-citt/191229/",
        "Perugia nella rete LgNet2, percorsi su misura verso il lavoro",
        "2023-10-23",
        "18:40",
        "Perugia",
    ),
    Story(
        14,
        "https://www.vivereterni.it/altrigiornali/31/191228-2023",
        "Perugia nella rete LgNet2: percorsi su misura verso il lavoro",
        "2023-10-23",
        "18:52",
        "Perugia",
    ),
    Story(
        15,
        "https://www.vivereumbria.biz/2023/10/24/perugia-fra-i-comuni-della-rete-lgnet2-"
        "il-progetto-che-promuove-le-politiche-di-inclusione-delle-citt/191228/",
        "Perugia, nella rete LgNet2 percorsi su misura verso il lavoro",
        "2023-10-23",
        "18:37",
        "Perugia",
    ),
    Story(
        16,
        "https://www.varese7press.it/2023/10/25/milano-fra-i-comuni-della-rete-lgnet2-il-"
        "progetto-che-promuove-le-politiche-di-inclusione-delle-citta/",
        "Milano aderisce a LgNet2, il Comune presenta i suoi servizi",
        "2023-10-25",
        "09:14",
        "Milano",
    ),
    Story(
        17,
        "https://www.dietrolanotizia.eu/2023/10/milano-fra-i-comuni-della-rete-ignet2/",
        "Milano, presidi serali con LgNet2",
        "2023-10-26",
        "08:50",
        "Milano",
        author="Alice Gipponi",
    ),
    Story(
        18,
        "https://www.mondoreale.it/2023/10/latina-inclusione-e-integrazione-dei-"
        "cittadini-stranieri-latina-tra-i-comuni-della-rete-lgnet2/",
        "LATINA, documenti e sanità per i braccianti stranieri: Latina punta su LgNet2",
        "2023-10-27",
        "12:03",
        "Latina",
        author="Redazione",
    ),
    Story(
        19,
        "https://www.latinanews.eu/latina-fra-i-comuni-della-rete-lgnet2-il-progetto-che-"
        "promuove-le-politiche-di-inclusione-delle-citta/",
        "Lavoratori stranieri, a Latina uno sportello unico con LgNet2",
        "2023-10-28",
        "10:21",
        "Latina",
        author="Redazione",
    ),
    Story(
        21,
        "https://www.siciliaoggi.it/2023/11/03/palermo-fra-i-comuni-della-rete-lgnet2-il-"
        "progetto-che-promuove-le-politiche-di-inclusione-delle-citta/",
        "Palermo aderisce a LgNet2 per l'accoglienza dei nuovi arrivati",
        "2023-11-03",
        "16:45",
        "Palermo",
    ),
    Story(
        22,
        "https://www.ilmattinoquotidiano.it/news/basilicata-free/68424/inclusione-sociale-"
        "c-e-potenza-tra-i-16-comuni-coinvolti-nella-rete-di-lgnet2.html",
        "Potenza, uno sportello di orientamento apre con LgNet2",
        "2023-11-16",
        "17:30",
        "Potenza",
        spelling="LgNet 2",
    ),
    Story(
        23,
        "https://www.puglialive.net/taranto-fra-i-comuni-della-rete-lgnet2-il-progetto-"
        "che-promuove-le-politiche-di-inclusione-delle-citta/",
        "Taranto nella rete LgNet2, un'équipe segue ogni persona fino alle cure",
        "2023-11-21",
        "11:10",
        "Taranto",
    ),
    Story(
        24,
        "https://www.tarantobuonasera.it/news/cronaca/827570/il-comune-di-taranto-cosi-ci-"
        "prendiamo-cura-dei-migranti.html",
        'Taranto, il Comune: "Seguiamo i migranti uno per uno"',
        "2023-11-21",
        "18:02",
        "Taranto",
        author="Giuseppe Di Meo",
    ),
    Story(
        25,
        _SARDEGNA_REPORTER,
        "Sassari aderisce a LgNet2, operatori in strada contro l'esclusione",
        "2023-11-22",
        "10:40",
        "Sassari",
        author="Giovanni Mascia",
        fail_first=1,
    ),
    Story(
        27,
        "https://casertaweb.com/notizie/caserta-fra-comuni-della-rete-lgnet2-progetto-"
        "promuove-le-politiche-inclusione-delle-citta/",
        "Caserta entra in LgNet2, mediazione nei quartieri e sportello d'ascolto",
        "2023-11-24",
        "13:25",
        "Caserta",
    ),
    Story(
        28,
        _GENOVA24,
        "Genova nella rete LgNet2, il Comune rafforza l'accoglienza",
        "2023-11-29",
        "12:31",
        "Genova",
        author="Redazione",
    ),
    Story(
        29,
        _TRIESTE_CAFE,
        "Trieste nella rete LgNet2, prima accoglienza sulla rotta balcanica",
        "2023-12-01",
        "09:45",
        "Trieste",
    ),
    Story(
        30,
        "https://ildiscorso.it/trieste-fra-i-comuni-della-rete-lgnet2-il-progetto-che-"
        "promuove-le-politiche-di-inclusione-delle-citta/",
        "Trieste nella rete LgNet2: prima accoglienza sulla rotta balcanica",
        "2023-12-01",
        "15:12",
        "Trieste",
        author="Daniela Furlan",
        spelling="LGNET2",
    ),
    Story(
        31,
        "https://www.quindicinews.it/2023/10/milano-fra-i-comuni-della-rete-lgnet2/",
        "Milano: presidi serali con LgNet2",
        "2023-10-25",
        "17:55",
        "Milano",
    ),
    Story(
        46,
        "https://www.virgilio.it/italia/torino/notizielocali/torino_fra_i_comuni_della_"
        "rete_lgnet2_il_progetto_che_promuove_le_politiche_di_inclusione-72145767.html",
        "Torino e la rete LgNet2: così la città accoglie chi arriva",
        "2023-10-17",
        "12:10",
        "Torino",
        source=("Torinoggi.it", _TORINO),
    ),
    Story(
        47,
        "https://www.controluce.it/latina-fra-i-comuni-della-rete-lgnet2-il-progetto-che-"
        "promuove-le-politiche-di-inclusione-delle-citta/",
        "Lavoratori stranieri: a Latina uno sportello unico con LgNet2",
        "2023-10-27",
        "15:40",
        "Latina",
    ),
    Story(
        48,
        "https://www.sassilive.it/salute-e-sociale/sociale-sanita/potenza-tra-i-comuni-"
        "della-rete-lgnet2-il-progetto-che-promuove-le-politiche-di-inclusione-delle-"
        "citta/",
        "Potenza nella rete LgNet2, orientamento e formazione per i migranti",
        "2023-11-16",
        "12:48",
        "Potenza",
    ),
    Story(
        49,
        "https://www.informazione.it/a/C4F57420-4424-4E84-980E-922682935B79/Sassari-fra-i-"
        "Comuni-della-rete-LgNet2-il-progetto-che-promuove-le-politiche-di-inclusione-"
        "delle-citta",
        "Sassari aderisce a LgNet2: operatori in strada contro l'esclusione",
        "2023-11-22",
        "11:30",
        "Sassari",
        source=("Sardegna Reporter", _SARDEGNA_REPORTER),
    ),
    Story(
        50,
        "https://mediterraneews.org/2023/11/22/sassari-fra-i-comuni-della-rete-lgnet2-il-"
        "progetto-che-promuove-le-politiche-di-inclusione-delle-citta/",
        'Sassari aderisce a LgNet2, operatori "in strada" contro l\'esclusione',
        "2023-11-22",
        "14:05",
        "Sassari",
        spelling="Lgnet2",
    ),
    Story(
        51,
        "https://www.controluce.it/roma-fra-i-comuni-della-rete-lgnet2/",
        "Roma aderisce a LgNet2, unità mobili per le persone più isolate",
        "2023-11-23",
        "10:15",
        "Roma",
    ),
    Story(
        52,
        _CASERTA_NOTIZIE,
        "Caserta, fondi europei per lo sportello LgNet2 nei quartieri",
        "2023-11-24",
        "09:20",
        "Caserta",
    ),
    Story(
        53,
        "https://www.zazoom.it/2023-11-24/migranti-a-caserta-il-progetto-lgnet2-con-fondi-"
        "europei/13872955/",
        "Caserta: fondi europei per lo sportello LgNet2 nei quartieri",
        "2023-11-24",
        "09:52",
        "Caserta",
        source=("Caserta Notizie", _CASERTA_NOTIZIE),
    ),
    Story(
        54,
        "https://www.pubblicanow.it/2023/11/26/caserta-fra-i-comuni-della-rete-lgnet2-il-"
        "progetto-che-promuove-le-politiche-di-inclusione-delle-citta/",
        "Caserta, parte il progetto LgNet2 per una città più inclusiva",
        "2023-11-26",
        "11:00",
        "Caserta",
        author="Paolo Stendardo",
    ),
    Story(
        55,
        "https://www.liguria24.it/2023/11/29/genova-fra-i-comuni-della-rete-lgnet2-il-"
        "progetto-che-promuove-le-politiche-di-inclusione-delle-citta/388019/",
        "Genova nella rete LgNet2: il Comune rafforza l'accoglienza",
        "2023-11-29",
        "12:58",
        "Genova",
        source=("Genova 24", _GENOVA24),
    ),
    Story(
        56,
        _BIZJOURNAL,
        "Genova e LgNet2, le politiche del Comune per chi arriva",
        "2023-11-29",
        "14:20",
        "Genova",
    ),
    Story(
        57,
        "https://www.virgilio.it/italia/genova/notizielocali/genova_fra_i_comuni_della_"
        "rete_lgnet_2_che_promuove_le_politiche_di_inclusione_delle_citt_-72402532.html",
        "Genova e LgNet2: le politiche del Comune per chi arriva",
        "2023-11-29",
        "15:02",
        "Genova",
        source=("Liguria Business Journal", _BIZJOURNAL),
    ),
    Story(
        58,
        "https://www.virgilio.it/italia/genova/notizielocali/genova_fra_i_comuni_della_"
        "rete_lgnet2_il_progetto_che_promuove_le_politiche_di_inclusione_delle_citt_"
        "72402460.html",
        "Genova, nella rete LgNet2 il Comune rafforza l'accoglienza",
        "2023-11-29",
        "13:06",
        "Genova",
        source=("Genova 24", _GENOVA24),
    ),
    Story(
        59,
        "https://www.fvgcafe.it/it/news/trieste/cronaca/trieste-fra-i-comuni-della-rete-"
        "lgnet2-il-progetto-che-promuove-le-politiche-di-inclusione.html",
        "Trieste, nella rete LgNet2 prima accoglienza sulla rotta balcanica",
        "2023-12-01",
        "10:05",
        "Trieste",
        source=("Trieste Cafè", _TRIESTE_CAFE),
    ),
    Story(
        60,
        "https://www.rainews.it/tgr/basilicata/video/2023/12/dallorto-alla-cucina-un-"
        "progetto-per-linclusione-lgnet2-ministero-interni-migranti-immigrazione-potenza-"
        "fc1f0b04-45c5-4a59-86c2-918c84d1015c.html",
        "Tra orto e fornelli, un mestiere per ricominciare",
        "2023-12-03",
        "14:20",
        "Potenza",
        author="Anna Serra",
    ),
)

VIRGILIO_CITIES = (
    "bologna",
    "bolzano",
    "caserta",
    "firenze",
    "genova",
    "latina",
    "milano",
    "napoli",
    "palermo",
    "perugia",
    "potenza",
    "roma",
    "sassari",
    "taranto",
    "torino",
    "trieste",
)


def site_for(host: str) -> Site:
    for site in SITES:
        if site.host == host:
            return site
    raise KeyError(host)


def story_doc(story: Story) -> Doc:
    """The page of a reference story: a full article, or an aggregator's teaser."""
    variant = story.row
    if story.source is not None:
        paragraphs = texts.teaser(story.city, story.spelling, variant)
    else:
        paragraphs = texts.story_paragraphs(story.city, story.spelling, variant)
    if story.row in (12, 24, 60):
        # Titles that do not name the project: the body must, in its own words.
        paragraphs = [*paragraphs[:1], _ANGLE[story.row], *paragraphs[1:]]
    return Doc(
        url=story.url,
        title=story.title,
        published=rome_time(story.day, story.clock),
        paragraphs=tuple(paragraphs),
        kind="story",
        post_id=_post_id(story.url),
        author=story.author,
        source=story.source,
        fail_first=story.fail_first,
    )


_ANGLE = {
    12: "Il tour dell'ANCI che presenta LgNet2 nelle città della rete ha fatto tappa ieri "
    "nel capoluogo altoatesino, Bozen per chi parla tedesco.",
    24: "Prendersi cura delle persone migranti vuol dire seguirle una per una: è l'idea con cui "
    "il Comune partecipa a LgNet2.",
    60: "Nel servizio, le immagini dell'orto e della cucina dove si ritrovano i partecipanti al "
    "percorso nato con LgNet2.",
}


def _post_id(url: str) -> int:
    numbers = re.findall(r"\d{4,}", url.rsplit("/", 2)[-2] + url.rsplit("/", 1)[-1])
    return int(numbers[-1]) if numbers else int(uuid.uuid5(uuid.NAMESPACE_URL, url)) % 90000


def decoy_docs(site: Site) -> list[Doc]:
    """Local news and an LgNetEA item around the date of the site's first story."""
    stories = [s for s in STORIES if s.host == site.host]
    anchor = min(rome_time(s.day, "08:00") for s in stories)
    plan = [(-3, "local", 0), (-1, "lgnetea", 0), (1, "local", 1), (2, "local", 2)]
    if site.cms == "virgilio":
        return _virgilio_decoys(site, anchor)
    docs = []
    for k, (days, kind, index) in enumerate(plan, start=1):
        if kind == "local":
            title, paragraphs = texts.local_news(site.place, index + len(site.host))
        else:
            title, paragraphs = texts.lgnetea_news(site.place)
        when = anchor + timedelta(days=days, hours=k, minutes=7 * k)
        docs.append(_decoy(site, title, paragraphs, when, kind, site.base_id + k * 3))
    return docs


def _virgilio_decoys(site: Site, anchor: datetime) -> list[Doc]:
    docs = []
    for k, city in enumerate(VIRGILIO_CITIES, start=1):
        place = city.capitalize()
        if city == "genova":
            kind, (title, paragraphs) = "lgnetea", texts.lgnetea_news(place)
        else:
            kind, (title, paragraphs) = "local", texts.local_news(place, k)
        when = anchor + timedelta(days=k % 5, hours=k)
        docs.append(_decoy(site, title, paragraphs, when, kind, site.base_id + k * 11, city))
    return docs


def _decoy(
    site: Site,
    title: str,
    paragraphs: list[str],
    when: datetime,
    kind: str,
    post_id: int,
    city: str = "",
) -> Doc:
    sep = "_" if site.cms == "virgilio" else "-"
    slug = slugify(title, sep)
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, site.host + title))
    path = site.permalink.format(
        y=f"{when:%Y}",
        m=f"{when:%m}",
        d=f"{when:%d}",
        slug=slug,
        id=post_id,
        city=city,
        uuid=key,
        UUID=key.upper(),
        Slug="-".join(w.capitalize() for w in slug.split("-")),
    )
    source = None
    if site.cms in ("virgilio", "zazoom", "informazione", "aggregator_wp") or (
        site.host == "www.fvgcafe.it"
    ):
        source = ("Cronaca locale", f"https://www.cronaca-locale.example/{slug}/")
    return Doc(
        url=site.url(path),
        title=title,
        published=when,
        paragraphs=tuple(paragraphs),
        kind=kind,
        post_id=post_id,
        author=None,
        source=source,
    )


def site_docs(site: Site) -> list[Doc]:
    """All article pages of a site, newest first."""
    docs = [story_doc(s) for s in STORIES if s.host == site.host] + decoy_docs(site)
    return sorted(docs, key=lambda d: d.published, reverse=True)
