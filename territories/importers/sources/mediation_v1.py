"""Lieux de médiation numérique, national schema v1.x in its CSV form (`,`-separated, multiple values `|`-separated)."""

from __future__ import annotations

from territories.importers.mapping import (
    CsvPlaceMapper,
    Record,
    date,
    first,
    items,
    joined,
    lists,
    postcode,
    present,
    website,
)
from territories.models import Place

LISTS = [
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "typologie",
]


_lists = lists(LISTS, "|")
_ids = present("pivot", "source")


def details(r: Record) -> dict:
    return _lists(r) | _ids(r)


class MediationV1(CsvPlaceMapper):
    key = "mediation-national"
    kind = Place.Kind.MEDIATION
    columns = ["id", "nom", "adresse", "code_postal", "commune", "latitude", "longitude", "services"]
    identifier = "id"
    insee = "code_insee"  # optional column
    fields = {
        "name": "nom",
        "address": joined("adresse", "complement_adresse"),
        "postcode": postcode("code_postal"),
        "city": "commune",
        "phone": "telephone",
        "email": first("courriels", "|"),
        "website": website("site_web"),
        "services": items("services", "|"),
        "hours": "horaires",
        "details": details,
        "updated_on": date("date_maj"),
    }

    def check(self, record: Record) -> None:
        if not record.text("nom").strip():
            raise record.error("nom", "nom vide")


MAPPER = MediationV1()
