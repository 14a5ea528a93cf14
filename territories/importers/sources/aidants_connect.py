"""Aidants Connect (ANCT): the structures whose aidants are authorised, a `,`-separated CSV export."""

from __future__ import annotations

from territories.importers.base import shown
from territories.importers.mapping import CsvPlaceMapper, Record, postcode, siret
from territories.models import Place

_siret = siret("Siret")


def details(r: Record) -> dict:
    aidants = r.text("Nombre d'aidants").strip()
    return {
        "aidants": int(aidants) if aidants else None,
        "active": r.text("Is Active").strip().lower() == "true",
        "france_services_label": r.text("France Services Label").strip().lower() == "true",
    } | _siret(r)


class AidantsConnect(CsvPlaceMapper):
    key = "aidants-connect"
    kind = Place.Kind.AIDANTS_CONNECT
    columns = ["Name", "ID", "Is Active", "City Insee Code", "Address", "Zip Code", "City", "Nombre d'aidants"]
    identifier = "ID"
    insee = "City Insee Code"
    latitude = None  # the export gives no coordinates: each structure is placed by its commune code
    fields = {
        "name": "Name",
        "address": "Address",
        "postcode": postcode("Zip Code"),
        "city": "City",
        "details": details,
    }

    def check(self, record: Record) -> None:
        active = record.text("Is Active")
        if active.strip().lower() not in ("true", "false", ""):
            raise record.error("Is Active", f"true ou false attendu, trouvé : {shown(active)}")
        aidants = record.text("Nombre d'aidants").strip()
        if aidants and not aidants.isdigit():
            raise record.error("Nombre d'aidants", f"pas un nombre entier : {shown(aidants)}")


MAPPER = AidantsConnect()
