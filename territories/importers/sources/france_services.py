"""France services (ANCT): the list of labelled sites, a `,`-separated CSV with one row per site."""

from __future__ import annotations

from territories.importers.mapping import CsvPlaceMapper, Record, joined, postcode, present
from territories.models import Place

DAYS = ["h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi"]


def opening_hours(r: Record) -> str:
    hours = ((day[2:].capitalize(), r.text(day)) for day in DAYS)
    return "\n".join(f"{day} : {text}" for day, text in hours if text)


class FranceServices(CsvPlaceMapper):
    key = "france-services"
    kind = Place.Kind.FRANCE_SERVICES
    columns = ["id_fs", "lib_fs", "adresse", "insee_com", "code_postal", "lib_com", "latitude", "longitude"]
    identifier = "id_fs"
    insee = "insee_com"
    fields = {
        "name": "lib_fs",
        "address": joined("adresse", "complement_adresse"),
        "postcode": postcode("code_postal"),
        "city": "lib_com",
        "phone": "telephone",
        "email": "mail",
        "hours": opening_hours,
        "details": present("format_fs", "format_fs_anct", "itinerance", "labellisation"),
    }


MAPPER = FranceServices()
