"""Hub-Lo (hub for a digital inclusion of Centre-Val de Loire): raw export of its directory of lieux.

A JSON array of `c_`-prefixed records: `gid`, `c_nom`, `c_postcode` as a number, `c_lat_coor1`/`c_long_coor1`, yes/no
service flags, `c__edit_datemaj`. Optional file (data folder only); its vintage is the span of the records' dates.
"""

from __future__ import annotations

from territories.importers.mapping import Record, parse_date, postcode
from territories.importers.raw import (
    RawPlaceMapper,
    compact,
    compacted,
    emails,
    join_services,
    phones,
    renamed,
    sites,
    yes,
)
from territories.models import Place

# yes/no flags -> service label (the v1 schema wording where the meaning is the same)
SERVICES = [
    ("c_materiel_info", "Accès internet et matériel informatique"),
    ("c_formation", "Formations et ateliers au numérique"),
    ("c_accompagnement_personnel", "Accompagnement individuel"),
    ("c_espace_teletravail", "Espace de télétravail"),
]
# free texts kept in `details`: column -> label
DETAILS = {
    "c_materiel_info_detail": "materiel",
    "c_formation_detail": "formation",
    "c_accompagnement_personnel_detail": "accompagnement",
    "c_varchar_public_cible": "public",
    "c_statut_juridique": "statut",
    "c_raison_sociale": "structure",
    "c_epci": "epci",
}


def _set(text: str) -> list[str]:
    """A PostgreSQL array literal as exported: {"a","b"}."""
    return [x.strip(' "') for x in text.strip("{}").split(",") if x.strip(' "')]


def services(r: Record) -> str:
    return join_services([label for key, label in SERVICES if yes(r.text(key))])


def hours(r: Record) -> str:
    days = _set(r.text("c_jours_semaine"))
    text = compact(r.text("c_horaire_ouverture"))
    if days:
        text = "\n".join(x for x in (f"Jours : {', '.join(days)}", text) if x)
    return text


def details(r: Record) -> dict:
    out: dict = {"source": "Hub-Lo"}
    categories = _set(r.text("c_categories_espace")) or [
        c.strip() for c in r.text("c_etiquettes").split(",") if c.strip()
    ]
    if categories:
        out["categories"] = categories
    out |= renamed(DETAILS)(r)
    if r.text("c_acces_pmr"):
        out["acces_pmr"] = yes(r.text("c_acces_pmr"))
    if r.text("c_siren_site"):
        out["siren"] = r.text("c_siren_site")
    return out


class HubLo(RawPlaceMapper):
    key = "mediation-hub-lo"
    kind = Place.Kind.MEDIATION
    keys = ["gid", "c_nom", "c_adresse", "c_postcode", "c_city", "c_lat_coor1", "c_long_coor1", "c__edit_datemaj"]
    identifier = "gid"
    latitude, longitude = "c_lat_coor1", "c_long_coor1"
    default_vintage = "2020–2023"
    fields = {
        "name": compacted("c_nom"),
        "address": lambda r: compacted("c_adresse")(r).strip(" .,"),
        "postcode": postcode("c_postcode"),
        "city": "c_city",
        "phone": phones("c_telephone", "c_mobile"),
        "email": emails("c_courriel"),
        "website": sites("c_site_web"),
        "services": services,
        "hours": hours,
        "details": details,
        "updated_on": lambda r: parse_date(r.text("c__edit_datemaj"), ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y")),
    }


MAPPER = HubLo()
