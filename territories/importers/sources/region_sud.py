"""Région Sud, "Lieux d'inclusion numérique 2022": raw inventory of lieux (Provence-Alpes-Côte d'Azur).

A JSON array: `nom`, `adresse_code_postal` as a number whose leading zero is lost, `adresse_code_insee` mostly empty,
`latitude`/`longitude`, `contact_*`, `horaires_*`, free-text `services`, `date` = 01/01/1970 everywhere, i.e. undated.
No identifier: each record gets a digest of its name and coordinates. Optional file (data folder only).
"""

from __future__ import annotations

import datetime as dt

from territories.formatting import plural
from territories.importers.base import INSEE_RE, invalid_insee
from territories.importers.mapping import MappedFile, PlaceRecord, Record, parse_date, postcode
from territories.importers.raw import (
    RawPlaceMapper,
    compact,
    compacted,
    emails,
    join_services,
    one_line,
    phones,
    renamed,
    sites,
    split_outside_parentheses,
)
from territories.models import Place

PLACEHOLDER_YEAR = 1970  # "01/01/1970": an epoch default, not a date
# free texts kept in `details`: column -> label
DETAILS = {
    "structure_porteuse": "structure",
    "type_lieu": "type_lieu",
    "statut": "statut",
    "nature_juridique": "nature_juridique",
    "public_cible": "public",
    "modalites_accompagnement": "modalites_accompagnement",
    "materiels_disponibles": "materiel",
    "itinerant": "itinerant",
    "siret": "siret",
}
HOURS = ["horaires_ouverture_brut", "horaires_ouverture_osm", "horaires_grand_public"]


def updated_on(r: Record) -> dt.date | None:
    value = parse_date(r.text("date"), ("%d/%m/%Y", "%Y-%m-%d"))
    return None if value is None or value.year <= PLACEHOLDER_YEAR else value


def address(r: Record) -> str:
    street = " ".join(x for x in (r.text("adresse_numero"), r.text("adresse_rue")) if x)
    return one_line(r.text("adresse_brut") or street)


def services(r: Record) -> str:
    found = split_outside_parentheses(r.text("services"))
    if r.text("materiels_disponibles"):
        found.append("Accès internet et matériel informatique")
    return join_services(found)


def hours(r: Record) -> str:
    found: list[str] = []
    for column in HOURS:
        value = compact(r.text(column))
        if value and value not in found:
            found.append(value)
    return "\n".join(found)


def details(r: Record) -> dict:
    out: dict = {"source": "Région Sud"} | renamed(DETAILS)(r)
    if r.text("labels"):
        out["labels"] = [x.strip() for x in r.text("labels").split(",") if x.strip()]
    if r.text("en_ligne").lower() == "oui":
        out["en_ligne"] = True
    return out


class RegionSud(RawPlaceMapper):
    key = "mediation-region-sud"
    kind = Place.Kind.MEDIATION
    keys = ["nom", "adresse_rue", "adresse_code_postal", "adresse_commune", "latitude", "longitude"]
    insee = "adresse_code_insee"
    default_vintage = "inventaire 2022 (fiches non datées)"
    fields = {
        "name": compacted("nom"),
        "address": address,
        "postcode": postcode("adresse_code_postal"),
        "city": "adresse_commune",
        "phone": phones("contact_telephone", "contact_telephone_details"),
        "email": emails("contact_email"),
        "website": sites("contact_web"),
        "services": services,
        "hours": hours,
        "details": details,
        "updated_on": updated_on,
    }

    def insee_code(self, record: Record) -> str:
        code = record.text(self.insee)
        if code.endswith(".0"):
            code = code[:-2]
        if code.isdigit() and len(code) == 4:  # a number that lost its leading zero
            code = "0" + code
        if code and not INSEE_RE.match(code):
            raise record.error(self.insee, invalid_insee(code))
        return code

    def accept(self, place: PlaceRecord, record: Record, state: dict) -> str | None:
        reason = super().accept(place, record, state)
        if reason is None and place.updated_on is None and record.text("date"):
            state["undated"] = state.get("undated", 0) + 1
        return reason

    def finish(self, out: MappedFile, state: dict) -> None:
        if state.get("undated"):
            dated = plural(state["undated"], "fiche datée", "fiches datées")
            out.notes.append(f"{dated} du 01/01/1970 (date par défaut) : aucune date de mise à jour retenue")


MAPPER = RegionSud()
