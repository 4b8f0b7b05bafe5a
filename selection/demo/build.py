"""A realistic, wholly fictional demo call, so the tool can be shown and tested without real data.

Every entity, person and network below is invented; no score may be read as
a judgement on a real institution. The bundle is rebuilt the same way every
time (fixed seed), so tests and screenshots can rely on its figures. Its dates
are placed around the day it is built: today is the advisory group's meeting,
so the notification, the question and proposal deadlines, the proposals and
the reviews all lie in the past, and the decision is still to come.
"""

import datetime as dt
import math
import random
import statistics

from selection import clock

SEED = 2026
SCALE = {"min": 0, "max": 5, "step": 0.5}
REGIONS = {
    "africa": "Africa",
    "asia-pacific": "Asia and the Pacific",
    "grulac": "Latin America and the Caribbean",
    "ceec": "Central and Eastern Europe",
    "weog": "Western Europe and others",
}
SLOTS = [{"id": "global", "name": "Global coordination entity", "level": "global"}] + [
    {"id": sid, "name": f"Regional TSC support centre - {region}", "level": "regional", "region": region}
    for sid, region in REGIONS.items()
]

CRITERIA = [
    {"id": "networks",
     "name": "Participation in regional and subregional biodiversity-related networks and partnerships",
     "description": "Membership and an active role in regional or subregional biodiversity networks, "
                    "partnerships and communities of practice.",
     "weight": 30, "threshold": 2.5, "priority": 1},
    {"id": "expertise",
     "name": "Expertise in biodiversity-related areas of work",
     "description": "Depth and breadth of scientific and technical expertise in the biodiversity areas "
                    "the mechanism must serve.",
     "weight": 25, "threshold": 2.5, "priority": 2},
    {"id": "tsc_experience",
     "name": "Demonstrated experience in promoting technical and scientific cooperation",
     "description": "Track record of matchmaking, joint research, training, exchange of experts "
                    "and technology transfer.",
     "weight": 25, "threshold": 2.5, "priority": 3},
    {"id": "capacity",
     "name": "Demonstrated capacity to manage multiple projects, and institutional capacity",
     "description": "Governance, staff, finances, systems and a record of running several projects at once.",
     "weight": 20, "threshold": 2.5, "priority": 4},
]
CRITERION_IDS = [c["id"] for c in CRITERIA]

IGO, RES, UNI, NGO, GOV = ("intergovernmental", "research institute", "university",
                           "non-governmental", "government agency")
# region slot -> (slug, acronym, country, kind, latent quality on the 0-5 scale, name)
ENTITIES = {
    "africa": [
        ("savanes", "IOASFS", "SN", RES, 3.9, "Institut ouest-africain des savanes et forêts sèches"),
        ("kessoua", "CIBK", "CM", UNI, 3.4, "Centre interuniversitaire de la biodiversité de Kessoua"),
        ("oases", "EOCBS", "EG", RES, 3.6, "مركز الواحات الشرقية لعلوم التنوع البيولوجي"),
        ("atlas", "AOME", "MA", GOV, 2.5, "مرصد الأطلس للنظم البيئية الجبلية"),
        ("escarpment", "REBA", "KE", NGO, 3.2, "Rift Escarpment Biodiversity Alliance"),
        ("woodlands", "SWKP", "ZM", IGO, 4.2, "Southern Woodlands Knowledge Partnership"),
        ("tsingy", "IIBTM", "MG", RES, 2.3, "Institut insulaire de la biodiversité Tsingy-Mer"),
    ],
    "asia-pacific": [
        ("qinglan", "QMECI", "CN", RES, 4.0, "青岚山地生态合作研究院"),
        ("oasis-college", "SROEC", "CN", UNI, 3.3, "丝路绿洲生态学院"),
        ("equatorial", "ERCEC", "SG", NGO, 3.6, "赤道雨林与海岸生态合作中心"),
        ("steppe", "ESIBR", "JO", RES, 2.3, "معهد السهوب الشرقية لبحوث التنوع الحيوي"),
        ("arabian-sea", "ASCRM", "OM", GOV, 3.1, "مركز بحر العرب للشعاب المرجانية وأشجار القرم"),
        ("atoll", "ARLSC", "FJ", NGO, 3.5, "Atoll Reef & Lagoon <Science> Collective"),
        ("deccan", "DPIEC", "IN", RES, 2.7, "Deccan Plateau Institute for Ecological Cooperation"),
        ("archipelagic", "ABCF", "PH", IGO, 4.1, "Archipelagic Biodiversity Cooperation Facility"),
    ],
    "grulac": [
        ("paramos", "IAPBN", "CO", RES, 3.8, "Instituto Andino de Páramos y Bosques Nublados"),
        ("selvas", "UISC", "MX", UNI, 3.3, "Universidad Intercultural de Selvas y Costas"),
        ("estepa", "FEG", "AR", NGO, 2.8, "Fundación Estepa y Glaciar"),
        ("istmo", "STBI", "CR", IGO, 4.0, "Secretaría Técnica de Biodiversidad del Istmo"),
        ("cerrado", "ICPCC", "BR", RES, 3.5, "Instituto Cerrado-Pantanal de Cooperação Científica"),
        ("mornes", "CHRMM", "HT", NGO, 2.4, "Centre haïtien de recherche sur les mornes et les mangroves"),
        ("windward", "WAMBI", "BB", RES, 3.1, "Windward Arc Marine Biodiversity Institute"),
    ],
    "ceec": [
        ("lesostep", "IEFS", "RU", RES, 3.5, "Институт экологии лесостепи «Зелёный рубеж»"),
        ("tumannaya", "MFWC", "BY", UNI, 3.2, "Межвузовский центр водно-болотных экосистем «Туманная пойма»"),
        ("zakavkaz", "TMBN", "AM", NGO, 3.7, "Закавказская сеть горного биоразнообразия"),
        ("amber", "ACIER", "LT", RES, 3.9, "Amber Coast Institute for Ecosystem Research"),
        ("pannonian", "PGCA", "HU", GOV, 2.5, "Pannonian Grasslands Cooperation Agency"),
        ("dinaric", "DKKH", "HR", NGO, 3.3, "Dinaric Karst Knowledge Hub"),
    ],
    "weog": [
        ("garrigues", "IMLG", "FR", RES, 3.8, "Institut méditerranéen des littoraux et des garrigues"),
        ("dehesas", "CIMD", "ES", GOV, 3.4, "Consorcio Ibérico de Montes y Dehesas"),
        ("fjords", "SFCST", "NZ", NGO, 3.2, "Southern Fjords Conservation Science Trust"),
        ("watersheds", "UNW", "CA", UNI, 3.6, "University of the Northern Watersheds"),
        ("north-atlantic", "NABCO", "NO", IGO, 2.6, "North Atlantic Biodiversity Cooperation Office"),
        ("fenn", "FMWF", "DE", RES, 2.1, "Forschungsinstitut Moorlandschaften am Weißen Fenn"),
    ],
}
ALSO_GLOBAL = {"woodlands", "qinglan", "archipelagic", "istmo", "garrigues", "north-atlantic"}
STATUS = {"arabian-sea": "withdrawn", "estepa": "ineligible", "kessoua": "submitted", "fjords": "submitted"}

THEMES = {
    "africa": ["dryland restoration", "freshwater fish diversity", "pollinator monitoring",
               "community-based wildlife management", "mangrove rehabilitation"],
    "asia-pacific": ["coral reef monitoring", "montane forest ecology", "agrobiodiversity conservation",
                     "invasive species early warning", "wetland carbon and biodiversity"],
    "grulac": ["páramo hydrology and biodiversity", "marine protected area design",
               "traditional knowledge and agrobiodiversity", "tropical forest inventories",
               "biodiversity data mobilisation"],
    "ceec": ["steppe and grassland restoration", "peatland rewetting", "mountain species monitoring",
             "forest genetic resources", "river floodplain restoration"],
    "weog": ["marine spatial planning", "Mediterranean fire ecology", "biodiversity informatics",
             "boreal wetland monitoring", "ecosystem accounting"],
}
NETWORKS = {
    "africa": ["Sahel-Savanna Biodiversity Partnership", "Eastern Rift Wetlands Practitioners Network",
               "Pan-African Restoration Learning Alliance"],
    "asia-pacific": ["Coral Seas Science Network", "Monsoon Asia Biodiversity Data Forum",
                     "Island Ecosystems Learning Exchange"],
    "grulac": ["Red Andina de Monitoreo de Páramos", "Caribbean Reef Knowledge Partnership",
               "Red Mesoamericana de Ciencia Ciudadana"],
    "ceec": ["Steppe and Forest-Steppe Research Network", "Carpathian-Balkan Grasslands Forum",
             "Baltic Wetlands Restoration Partnership"],
    "weog": ["Mediterranean Coasts Research Alliance", "North Atlantic Marine Biodiversity Forum",
             "Boreal Biodiversity Data Partnership"],
}

# Evidence per criterion: the first two texts suit stronger applicants, the last one weaker ones.
SECTION_TEMPLATES = {
    "networks": [
        "{acr} is an active member of {k} regional and subregional networks, including the {net}, "
        "and chairs its working group on {theme}. It co-organises an annual partners' forum for "
        "{region} that brought together {n} institutions in 2026.",
        "{acr} has been a partner of the {net} since {year} and hosts the secretariat of a subregional "
        "community of practice on {theme}. Letters of support from {k} national focal points are "
        "annexed to the proposal.",
        "Participation in networks has so far been mostly national, with observer status in the {net} "
        "since {year}. The proposal commits to joining {k} further regional partnerships in the first year.",
    ],
    "expertise": [
        "{acr} employs {n} scientists working on {theme} and {theme2}, and its staff published {p} "
        "peer-reviewed papers in the last five years. Its reference collections and open data portal "
        "cover {k} countries of the region.",
        "The institution's core expertise is {theme}, backed by long-term monitoring plots established "
        "in {year}. Its experts contributed to national biodiversity strategies and action plans in "
        "{k} countries.",
        "Expertise centres on {theme}, with a team of {small} researchers. Other biodiversity areas "
        "would be covered through the partner institutions listed in the annex.",
    ],
    "tsc_experience": [
        "Since {year}, {acr} has run {k} matchmaking rounds pairing institutions with a need and "
        "partners able to help, leading to {n} joint projects. Its short courses on {theme} have "
        "trained more than {t} practitioners from across {region}.",
        "{acr} coordinated a South-South exchange programme on {theme} involving {k} countries and "
        "hosted {n} visiting experts. It also manages a small-grants window for technology transfer "
        "to local institutions.",
        "Experience in technical and scientific cooperation is limited to {k} bilateral exchanges on "
        "{theme}. The proposal sets out a plan to build a matchmaking service together with partners.",
    ],
    "capacity": [
        "{acr} manages {k} concurrent projects with an annual budget of about USD {b} million and has "
        "had clean external audits for {a} years. A dedicated unit of {n} staff would run the centre.",
        "The entity has a certified project management system, a finance team of {small} and "
        "experience administering multi-donor funds. It currently runs {k} projects funded by {d} "
        "different donors.",
        "The entity runs {k} projects with a core staff of {small}. It proposes to recruit a "
        "coordinator and an administrative assistant once funding is secured.",
    ],
}
OFFERS = [
    "office space and a dedicated coordination team from the first month",
    "co-financing of USD {b} million over the first three years",
    "a multilingual help desk aimed at small institutions",
    "an online matchmaking platform already used by its partners",
    "a network of {k} national antennas across the region",
]

ASPECTS = {
    "networks": ["participation in regional networks", "engagement in subregional partnerships",
                 "links with national focal points"],
    "expertise": ["scientific expertise", "breadth of biodiversity expertise", "depth of technical expertise"],
    "tsc_experience": ["cooperation track record", "experience with matchmaking and training",
                       "record of technology transfer"],
    "capacity": ["institutional capacity", "project management capacity",
                 "financial and administrative capacity"],
}
GAPS = {
    "networks": ["its role in most networks is passive", "only one partnership letter is attached",
                 "subregional coverage is patchy"],
    "expertise": ["several thematic areas depend on partners", "publication output is modest",
                  "marine expertise is thin"],
    "tsc_experience": ["results of past exchanges are not documented", "most activities were one-off events",
                       "follow-up of trainees is not shown"],
    "capacity": ["the audit reports are not attached", "staffing of the new unit is unclear",
                 "the budget relies on a single donor"],
}
JUSTIFICATIONS = {
    "high": ["Strong evidence of {aspect}, well documented in the annexes.",
             "Convincing {aspect}; the figures match the partners' letters.",
             "{Aspect} is a clear strength of this proposal."],
    "mid": ["Adequate {aspect}, although {gap}.",
            "{Aspect} is credible but described in general terms.",
            "Reasonable {aspect}; {gap}."],
    "low": ["Little evidence of {aspect}: {gap}.",
            "{Aspect} is weak, as {gap}.",
            "The proposal does not demonstrate {aspect} convincingly."],
}
REMARKS = ["Checked against the applicant's last annual report.",
           "The answer to the clarification request helped.",
           "Comparable to the stronger proposals for this region.",
           "Would benefit from concrete indicators.",
           "Discussed briefly with the secretariat during screening."]

# id, name, affiliation, country, leniency added to every score the member gives
REVIEWERS = [
    ("r1", "Aminata Koné-Sarr", "Laboratoire d'écologie des lagunes et estuaires", "SN", 0.3),
    ("r2", "Мария Лебедева-Орлова", "Институт озёрных систем «Светлая вода»", "BY", -0.4),
    ("r3", "李文静", "白鹭湾滨海湿地观测站", "CN", 0.0),
    ("r4", "Carlos Eduardo Villalobos Paz", "Estación Biológica Río Escondido", "CO", 0.4),
    ("r5", "ليلى حداد", "مختبر بيئة الصحراء والمراعي", "JO", -0.2),
    ("r6", "Mele Fifita", "Pacific Lagoon Monitoring Unit", "TO", 0.1),
    ("r7", "Henrik Aalvik", "Fjordland Ecology Office", "NO", -0.5),
    ("r8", "Priya Ramanathan-Iyer", "Centre for Semi-Arid Plant Studies", "IN", 0.2),
]
# reviewer, proposal, reason, whether the member scored it anyway (the ranking must leave those out)
CONFLICTS = [
    ("r2", "p-tumannaya", "Holds an adjunct teaching appointment at the applicant university.", True),
    ("r7", "p-north-atlantic", "Seconded to the applicant's governing board until December 2026.", True),
    ("r4", "p-paramos", "Co-investigator with the applicant in an ongoing research project.", False),
    ("r8", "p-deccan", "Former employee of the applicant (left in 2025).", False),
]
PARTIAL = ("r5", "p-kessoua", ["networks", "expertise"])
# cells where two members were far apart before the meeting
DIVERGENT = [("p-escarpment", "tsc_experience"), ("p-atoll", "capacity"),
             ("p-selvas", "networks"), ("p-dinaric", "expertise")]
CONSENSUS = [
    ("p-escarpment", "tsc_experience",
     "Agreed at the advisory group meeting after comparing the documented exchange programmes."),
    ("p-atoll", "capacity",
     "Agreed at the advisory group meeting once the audited accounts supplied on request were reviewed."),
    ("p-selvas", "networks",
     "Agreed at the advisory group meeting: the partnership letters were judged genuine but recent."),
    ("p-amber", "networks",
     "Agreed at the advisory group meeting to reflect the applicant's role as a network coordinator."),
]


def _on_grid(x: float) -> float:
    """Round to the scale step and clip, since a member's form only allows such values."""
    step = SCALE["step"]
    return min(SCALE["max"], max(SCALE["min"], math.floor(x / step + 0.5) * step))


def _number(x: float) -> int | float:
    """Write whole scores as integers, as people type them."""
    return int(x) if x == int(x) else x


def _band(score: float) -> str:
    """The tone of a justification follows the score given."""
    return "high" if score >= 4 else "mid" if score >= 2.5 else "low"


def _section(rng: random.Random, criterion: str, acr: str, region: str, quality: float) -> str:
    """Evidence text whose strength follows the entity's latent quality."""
    templates = SECTION_TEMPLATES[criterion]
    template = rng.choice(templates[:2]) if quality >= 3.2 else templates[2]
    theme, theme2 = rng.sample(THEMES[region], 2)
    return template.format(
        acr=acr, theme=theme, theme2=theme2, net=rng.choice(NETWORKS[region]), region=REGIONS[region],
        k=rng.randint(3, 9), n=rng.randint(12, 60), p=rng.randint(40, 220), t=rng.randint(150, 900),
        year=rng.randint(2008, 2019), b=rng.randint(3, 25), a=rng.randint(5, 12), d=rng.randint(4, 11),
        small=rng.randint(4, 9),
    )


def _justification(rng: random.Random, criterion: str, score: float) -> str:
    """One or two sentences naming what in the criterion drove the score."""
    aspect = rng.choice(ASPECTS[criterion])
    text = rng.choice(JUSTIFICATIONS[_band(score)]).format(
        aspect=aspect, Aspect=aspect[0].upper() + aspect[1:], gap=rng.choice(GAPS[criterion]))
    if rng.random() < 0.4:
        text += " " + rng.choice(REMARKS)
    return text


# Days from the notification to each step (the meeting is the day the demo is built).
TIMELINE = {"notified_on": -115, "inquiry_deadline": -73, "submission_deadline": -40, "advisory_meeting_on": 0}
SUBMISSION_WEEKS = 6


def call_dates(today: dt.date) -> dict[str, str | None]:
    """The call's dates with ``today`` as the meeting day: every earlier step in the past."""
    return {**{k: (today + dt.timedelta(days=d)).isoformat() for k, d in TIMELINE.items()}, "decided_on": None}


def _submitted_at(rng: random.Random, deadline: dt.date) -> str:
    """A time in the last six weeks before the deadline."""
    day = deadline - dt.timedelta(days=SUBMISSION_WEEKS * 7 - 1 - rng.choice(range(SUBMISSION_WEEKS * 7)))
    return f"{day.isoformat()}T{rng.randint(7, 19):02d}:{rng.randint(0, 59):02d}:00Z"


def _all_entities():
    """Entities flattened, in region order, with their region slot."""
    for region, rows in ENTITIES.items():
        for slug, acr, country, kind, quality, name in rows:
            yield region, slug, acr, country, kind, quality, name


def _entities_and_proposals(rng: random.Random, deadline: dt.date) -> tuple[list[dict], list[dict]]:
    entities, proposals = [], []
    for region, slug, acr, country, kind, quality, name in _all_entities():
        domain = f"{slug}.example"
        mailbox = rng.choice(["contact", "info", "secretariat", "tsc"])
        entities.append({
            "id": f"e-{slug}", "name": name, "acronym": acr, "country": country, "kind": kind,
            "website": f"https://www.{domain}/", "contact_email": f"{mailbox}@{domain}",
        })
        slots = ["global", region] if slug in ALSO_GLOBAL else [region]
        hosted = f"regional support centre for {REGIONS[region]}"
        if slug in ALSO_GLOBAL:
            hosted = f"global coordination entity and the {hosted}"
        offer = rng.choice(OFFERS).format(b=rng.randint(2, 9), k=rng.randint(4, 12))
        proposals.append({
            "id": f"p-{slug}", "entity": f"e-{slug}", "slots": slots, "status": STATUS.get(slug, "eligible"),
            "submitted_at": _submitted_at(rng, deadline),
            "summary": f"{acr} proposes to host the {hosted}, with a five-year work plan built around "
                       f"{rng.choice(THEMES[region])}. It offers {offer}.",
            "sections": {c: _section(rng, c, acr, region, quality) for c in CRITERION_IDS},
        })
    return entities, proposals


def _raw_scores(rng: random.Random) -> dict[tuple[str, str, str], float]:
    """Latent quality + criterion profile + member leniency + noise, from 4-5 members per proposal."""
    leniency = {r[0]: r[4] for r in REVIEWERS}
    kept_away = {(r, p) for r, p, _, scored in CONFLICTS if not scored}
    cells = {}
    for _, slug, *_, quality, _ in _all_entities():
        pid = f"p-{slug}"
        forced = sorted({r for r, p, _, scored in CONFLICTS if scored and p == pid}
                        | ({PARTIAL[0]} if PARTIAL[1] == pid else set()))
        size = 5 if forced else rng.choice([4, 4, 5])
        others = [r[0] for r in REVIEWERS if r[0] not in forced and (r[0], pid) not in kept_away]
        members = sorted(forced + rng.sample(others, size - len(forced)))
        profile = {c: rng.uniform(-0.5, 0.5) for c in CRITERION_IDS}
        for reviewer in members:
            for c in CRITERION_IDS:
                if (reviewer, pid) == PARTIAL[:2] and c not in PARTIAL[2]:
                    continue
                raw = quality + profile[c] + leniency[reviewer] + rng.gauss(0, 0.4)
                cells[(reviewer, pid, c)] = _on_grid(raw)
    _force_divergence(cells)
    return cells


def _valid_members(cells: dict, pid: str) -> list[str]:
    """Members whose review of pid counts under the contract (complete, no conflict)."""
    conflicted = {r for r, p, *_ in CONFLICTS if p == pid}
    members = sorted({r for r, p, _ in cells if p == pid})
    return [r for r in members
            if r not in conflicted and all((r, pid, c) in cells for c in CRITERION_IDS)]


def _force_divergence(cells: dict) -> None:
    """Put one member two points away from another on each DIVERGENT cell, for the meeting to discuss."""
    for pid, c in DIVERGENT:
        members = _valid_members(cells, pid)
        base = cells[(members[-1], pid, c)]
        cells[(members[0], pid, c)] = base - 2 if base >= 2.5 else base + 2


def demo_bundle(today: dt.date | None = None) -> dict:
    """The whole demo call as a contract bundle ("host-selection-bundle/1"), identical on every call on
    the same day; ``today`` (the meeting day) defaults to the clock's."""
    dates = call_dates(today or clock.today())
    rng = random.Random(SEED)
    entities, proposals = _entities_and_proposals(rng, dt.date.fromisoformat(dates["submission_deadline"]))
    cells = _raw_scores(rng)
    scores = [
        {"reviewer": r, "proposal": p, "criterion": c, "score": _number(s),
         "justification": _justification(rng, c, s)}
        for (r, p, c), s in cells.items()
    ]
    consensus = [
        {"proposal": pid, "criterion": c, "note": note,
         "score": _number(_on_grid(statistics.median(cells[(r, pid, c)] for r in _valid_members(cells, pid))))}
        for pid, c, note in CONSENSUS
    ]
    return {
        "format": "host-selection-bundle/1",
        "call": {
            "reference": "TSC-HOST-DEMO-2027",
            "title": "Call for expressions of interest to host the global coordination entity and the "
                     "regional technical and scientific cooperation support centres (demonstration)",
            "scale": dict(SCALE),
            "min_reviews": 3,
            "overall_threshold": 55,
            "dates": dates,
            "slots": [dict(s) for s in SLOTS],
            "criteria": [dict(c) for c in CRITERIA],
        },
        "entities": entities,
        "proposals": proposals,
        "reviewers": [{"id": i, "name": n, "affiliation": a, "country": k} for i, n, a, k, _ in REVIEWERS],
        "conflicts": [{"reviewer": r, "proposal": p, "reason": why} for r, p, why, _ in CONFLICTS],
        "scores": scores,
        "consensus": consensus,
    }
