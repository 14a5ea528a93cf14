"""Lieux de médiation numérique, national schema v0 (2022): a JSON array (e.g. Hinaura's source.json)."""

from __future__ import annotations

from territories.importers.mapping import JsonPlaceMapper, Record, date, items, lists, postcode, present, siret, website
from territories.models import Place

_lists = lists(("publics_accueillis", "conditions_acces", "modalites_accompagnement"), ";")
_source = present("source")
_siret = siret("pivot")


def details(r: Record) -> dict:
    return _lists(r) | _source(r) | _siret(r)


class MediationV0(JsonPlaceMapper):
    key = "mediation-hinaura"
    kind = Place.Kind.MEDIATION
    keys = ["id", "nom", "latitude", "longitude"]
    identifier = "id"
    insee = "code_insee"
    fields = {
        "name": "nom",
        "address": "adresse",
        "postcode": postcode("code_postal"),
        "city": "commune",
        "phone": "telephone",
        "email": "courriel",
        "website": website("site_web"),
        "services": items("services", ";"),
        "hours": "horaires",
        "details": details,
        "updated_on": date("date_maj"),
    }


MAPPER = MediationV0()
