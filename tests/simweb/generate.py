"""A large generated web for benchmarks: hundreds of outlets, tens of thousands of articles.

Pages are produced on request from (seed, outlet, article) by ``Web.add_site`` handlers, so
memory stays flat however many pages the web has, and the same seed always gives the same
bytes. Each outlet has a WordPress-like article template, a ``/feed/`` of its latest articles
and a ``/sitemap.xml`` of all of them; about 2% of the articles mention LgNet2.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial

import yaml

from enrichment.cities import CITIES
from simweb import cms
from simweb.server import Page, Web

MENTION_RATE = 0.02
FEED_SIZE = 20

_CITIES = (
    *CITIES,
    "Bari",
    "Verona",
    "Padova",
    "Cagliari",
    "Ancona",
    "Lecce",
    "Brescia",
    "Pescara",
)
_BRANDS = (
    "Gazzetta di",
    "Corriere di",
    "Eco di",
    "Voce di",
    "Cronache di",
    "Notizie da",
    "Il Giornale di",
    "Diario di",
)
_CATEGORIES = ("quotidiani", "quotidiani", "quotidiani", "periodici", "portali", "radio_tv")

_SUBJECTS = (
    "Il consiglio comunale",
    "La giunta",
    "L'assessorato ai servizi sociali",
    "Il sindaco",
    "Un gruppo di residenti",
    "La polizia locale",
    "L'azienda dei trasporti",
    "La direzione sanitaria",
    "Il comitato di quartiere",
    "L'università",
    "Una cooperativa sociale",
    "La prefettura",
    "Il parroco del quartiere",
    "L'associazione dei commercianti",
    "La società sportiva",
)
_ACTIONS = (
    "ha approvato",
    "ha presentato",
    "ha chiesto di rinviare",
    "ha illustrato in conferenza stampa",
    "ha contestato",
    "ha avviato",
    "ha finanziato",
    "ha annunciato",
    "ha discusso",
    "sta valutando",
    "ha inaugurato",
    "ha rimandato a gennaio",
)
_OBJECTS = (
    "il piano per le piste ciclabili",
    "il bilancio di previsione",
    "la riapertura della biblioteca",
    "un nuovo servizio di trasporto serale",
    "i lavori sul ponte",
    "il regolamento dei dehors",
    "la gara per le mense scolastiche",
    "un progetto per gli anziani soli",
    "la riqualificazione del mercato coperto",
    "il calendario delle manifestazioni natalizie",
    "la nuova raccolta differenziata",
    "un bando per le associazioni",
    "il restauro della fontana",
    "l'ampliamento del parcheggio",
)
_DETAILS = (
    "dopo una discussione durata tutto il pomeriggio",
    "con il voto contrario della minoranza",
    "tra le proteste di alcuni residenti",
    "con un investimento di alcune centinaia di migliaia di euro",
    "in vista della prossima primavera",
    "nonostante i ritardi accumulati",
    "su richiesta dei comitati",
    "con il sostegno della Regione",
    "entro la fine dell'anno",
    "dopo un sopralluogo dei tecnici",
    "senza aumentare le tariffe",
    "in via sperimentale",
)
_PLACES = (
    "nel centro storico",
    "nei quartieri di periferia",
    "lungo il viale principale",
    "vicino alla stazione",
    "nella zona industriale",
    "nelle frazioni",
    "davanti al municipio",
    "nel parco cittadino",
    "accanto all'ospedale",
    "nelle scuole elementari",
)
_QUOTES = (
    "«È un passo avanti per tutta la città», ha commentato un consigliere.",
    "«Aspettavamo questa decisione da anni», dice una residente.",
    "«Ora servono tempi certi», avverte l'opposizione.",
    "«Vigileremo perché gli impegni siano rispettati», spiegano i comitati.",
    "«Non è la soluzione a tutto, ma è un inizio», ammette l'assessore.",
)
_MENTIONS = (
    "Il progetto rientra in LgNet2, la rete di sedici Comuni per l'inclusione dei cittadini "
    "stranieri finanziata dal FAMI e coordinata da ANCI e Cittalia per il Ministero "
    "dell'Interno.",
    "Grazie alla rete LgNet2 la città ha aperto uno sportello unico per i nuovi arrivati e "
    "avviato unità mobili nei quartieri più fragili.",
    "Con i fondi di LgNet2 saranno finanziati percorsi di impegno civico e progetti di "
    "inclusione abitativa.",
)
_TITLE_TOPICS = (
    "approvato il piano",
    "via libera ai lavori",
    "polemica in consiglio",
    "si cambia",
    "arrivano i fondi",
    "partono i cantieri",
    "residenti in assemblea",
    "la decisione slitta",
    "nuove regole",
    "cosa cambia da lunedì",
)
_ROME = timezone(timedelta(hours=1))
_START = datetime(2023, 10, 1, 7, 0, tzinfo=_ROME)
_SPAN_DAYS = 74
_ARTICLE_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/[a-z0-9-]+-a(\d+)/$")


@dataclass(frozen=True)
class GeneratedOutlet:
    index: int
    name: str
    host: str
    city: str
    category: str

    @property
    def site(self) -> cms.Site:
        return cms.Site(self.name, self.host)


def generate_web(
    outlets: int = 200, articles_per_outlet: int = 50, seed: int = 1
) -> tuple[Web, str]:
    """A Web (not started) of ``outlets`` outlets and the registry YAML that watches it."""
    web = Web()
    specs = [_outlet(i, seed) for i in range(outlets)]
    for spec in specs:
        web.add_site(spec.host, partial(_serve, spec, articles_per_outlet, seed))
    return web, _registry_yaml(specs)


def generated_mentions(
    outlets: int = 200, articles_per_outlet: int = 50, seed: int = 1
) -> list[str]:
    """URLs of the generated articles that mention LgNet2: the recall a crawl should reach."""
    urls = []
    for i in range(outlets):
        spec = _outlet(i, seed)
        urls += [
            spec.site.url(_story(spec, a, articles_per_outlet, seed).path)
            for a in range(articles_per_outlet)
            if _mentions(i, a, seed)
        ]
    return urls


def _outlet(index: int, seed: int) -> GeneratedOutlet:
    rng = random.Random(f"{seed}:outlet:{index}")
    city = rng.choice(_CITIES)
    brand = rng.choice(_BRANDS)
    name = f"{brand} {city} {index:03d}"
    slug = re.sub(r"[^a-z0-9]+", "", name.lower().replace("'", ""))
    return GeneratedOutlet(index, name, f"www.{slug}.test", city, rng.choice(_CATEGORIES))


def _mentions(outlet: int, article: int, seed: int) -> bool:
    return random.Random(f"{seed}:mention:{outlet}:{article}").random() < MENTION_RATE


def _story(spec: GeneratedOutlet, article: int, per_outlet: int, seed: int) -> cms.Story:
    rng = random.Random(f"{seed}:article:{spec.index}:{article}")
    mention = _mentions(spec.index, article, seed)
    day = article * _SPAN_DAYS // max(per_outlet, 1)
    when = _START + timedelta(days=day, minutes=rng.randint(0, 14 * 60))
    subject_obj = rng.choice(_OBJECTS)
    title = f"{spec.city}, {rng.choice(_TITLE_TOPICS)}: {subject_obj}"
    if mention:
        title = f"{spec.city} nella rete LgNet2: {subject_obj}"
    paragraphs = _paragraphs(rng, spec.city, rng.randint(3000, 6000), mention)
    words = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(_ACCENTS)).strip("-")
    path = f"/{when:%Y/%m/%d}/{words[:70].rstrip('-')}-a{article}/"
    author = f"{rng.choice('ABCDEFGLMPRS')}. {rng.choice(_SURNAMES)}"
    return cms.Story(
        path=path,
        title=title,
        published=when.isoformat(),
        paragraphs=tuple(paragraphs),
        byline=f"di {author}",
        author=author,
    )


_ACCENTS = str.maketrans("àèéìòù", "aeeiou")
_SURNAMES = (
    "Rossi",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Costa",
    "Giordano",
    "Mancini",
    "Lombardi",
)


def _paragraphs(rng: random.Random, city: str, size: int, mention: bool) -> list[str]:
    paragraphs: list[str] = []
    total = 0
    while total < size:
        sentences = [
            f"{rng.choice(_SUBJECTS)} {rng.choice(_ACTIONS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_PLACES)} {rng.choice(_DETAILS)}."
            for _ in range(rng.randint(2, 4))
        ]
        if rng.random() < 0.3:
            sentences.append(rng.choice(_QUOTES))
        if not paragraphs:
            sentences.insert(0, f"Novità a {city}.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph)
    if mention:
        where = rng.randrange(len(paragraphs))
        paragraphs[where] += " " + rng.choice(_MENTIONS)
    return paragraphs


def _serve(spec: GeneratedOutlet, per_outlet: int, seed: int, target: str) -> Page | None:
    """The page at ``target``, rebuilt from the seed on every request."""
    site = spec.site
    if target == "/feed/":
        newest = range(per_outlet - 1, max(per_outlet - 1 - FEED_SIZE, -1), -1)
        stories = [_story(spec, a, per_outlet, seed) for a in newest]
        if not stories:
            return None
        items = [cms.rss_item(st, site.url(st.path), full_text=False) for st in stories]
        latest = stories[0].when
        return Page(
            cms.rss_feed(
                site,
                items,
                feed_path="/feed/",
                description=f"Notizie da {spec.city}",
                last_build=latest,
            ),
            "application/rss+xml; charset=UTF-8",
            headers={"Last-Modified": cms.http_date(latest)},
        )
    if target == "/sitemap.xml":
        stories = [_story(spec, a, per_outlet, seed) for a in range(per_outlet)]
        return Page(
            cms.url_sitemap([(site.url(st.path), st.published) for st in stories]),
            "application/xml; charset=UTF-8",
        )
    if target == "/robots.txt":
        return Page(
            cms.robots(
                "User-agent: *", "Disallow: /wp-admin/", f"Sitemap: {site.url('/sitemap.xml')}"
            ),
            "text/plain",
        )
    match = _ARTICLE_PATH.match(target)
    if match is None:
        return None
    article = int(match.group(4))
    if article >= per_outlet:
        return None
    story = _story(spec, article, per_outlet, seed)
    if story.path != target:
        return None
    return Page(
        cms.wordpress_article(site, story), headers={"Last-Modified": cms.http_date(story.when)}
    )


def _registry_yaml(specs: list[GeneratedOutlet]) -> str:
    registry = {
        "topic": {"name": "LgNet2", "query": "lgnet2"},
        "outlets": [
            {
                "name": spec.name,
                "category": spec.category,
                "city": spec.city,
                "urls": [spec.host],
                "feeds": [spec.site.url("/feed/")],
                "sitemaps": [spec.site.url("/sitemap.xml")],
            }
            for spec in specs
        ],
    }
    return yaml.safe_dump(registry, allow_unicode=True, sort_keys=False)
