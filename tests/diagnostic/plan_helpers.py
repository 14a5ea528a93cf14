"""MADE-UP plan data on top of tests/accounts/builders.World (commune 99001 "Saint-Exemple", Hub Imaginaire).

Every name and figure is invented: the département's other communes give the IFN medians (6 for every part), the
commune is fragile for the 65+ share (9/10), its nearest lieu de médiation is 18 km away.
"""

from __future__ import annotations

from diagnostic.models import Answer
from diagnostic.plan.services import refresh_plan
from territories.models import Place
from tests.factories import make_access, make_commune, make_ifn, make_place

ANSWERS = {
    "eq_public_computers": 0,
    "eq_loan_refurbished": "none",
    "co_fixed_gaps": "some",
    "sk_trained_agents": 0,
    "sk_aidants_connect": "unknown",
    "sk_conseiller_numerique": "no",
    "sk_drop_in": "none",
    "sk_referral": "yes",
    "ac_desk_help": "yes",
    "st_hub_contact": "no",
    "st_fne_roadmap": "aware",
    "st_partners": ["library", "ccas"],
    "st_budget": "yes",
    "st_referent": "yes",
}


def enrich(world, answers: dict | None = None):
    """Add IFN, neighbours, places, access rows and answers to the world's commune; refresh the plan."""
    commune = world.commune
    commune.population = 1200
    commune.save(update_fields=["population"])
    make_ifn(
        commune,
        {
            "no_thd_coverage": 7.0,
            "no_4g_coverage": 5.0,
            "poverty": None,
            "older_65": 9.0,
            "low_diploma": 6.0,
            "total": 7.4,
        },
    )
    neighbours = [  # medians 6 for every part
        make_commune(f"99{index:03d}", f"Voisine {index}", dep=commune.departement, population=500, ifn=6.0)
        for index in range(2, 5)
    ]
    mediation = make_place(
        "Espace numérique Imaginaire",
        Place.Kind.MEDIATION,
        commune=neighbours[0],
        lat=47.182,
        lon=2.56,
        phone="01 02 03 04 05",
        email="contact@espace.example.org",
        website="https://espace.example.org/",
        address="1 place de l'Exemple",
        postcode="99100",
    )
    france_services = make_place(
        "France services Imaginaire", Place.Kind.FRANCE_SERVICES, commune=neighbours[1], lat=47.222, lon=2.56
    )
    make_access(commune, mediation, km=18.0, within_10km=0)
    make_access(commune, france_services, km=22.5, within_10km=0)
    make_access(commune, None, km=None, within_10km=0, kind=Place.Kind.AIDANTS_CONNECT)
    for key, value in (ANSWERS if answers is None else answers).items():
        Answer.objects.create(diagnostic=world.diagnostic, question=key, value=value)
    refresh_plan(diagnostic=world.diagnostic)
    return world
