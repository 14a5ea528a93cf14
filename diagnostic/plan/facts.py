"""The facts a plan is computed from: the answers, the commune's size, its IFN parts beside the département
medians, and its distance to the places offering digital help.

`PlanFacts` is a plain value (no database access), so the rules in `rules/` are pure functions of it and can be
tested case by case. `facts_for(diagnostic)` reads the database once to build it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from territories.formatting import number

# Population bands (population municipale). Most French communes have fewer than 2 000 inhabitants.
SMALL_COMMUNE_MAX = 1_999
MEDIUM_COMMUNE_MAX = 9_999

SMALL = "small"
MEDIUM = "medium"
LARGE = "large"
UNKNOWN_SIZE = "unknown"

SIZE_LABELS = {
    SMALL: f"petite commune (moins de {number(SMALL_COMMUNE_MAX + 1)} habitants)",
    MEDIUM: f"commune moyenne ({number(SMALL_COMMUNE_MAX + 1)} à {number(MEDIUM_COMMUNE_MAX)} habitants)",
    LARGE: f"grande commune ({number(MEDIUM_COMMUNE_MAX + 1)} habitants et plus)",
    UNKNOWN_SIZE: "population inconnue",
}

IFN_PARTS = ("no_thd_coverage", "no_4g_coverage", "poverty", "older_65", "low_diploma")
IFN_LABELS = {
    "no_thd_coverage": "non-couverture en très haut débit",
    "no_4g_coverage": "non-couverture en 4G",
    "poverty": "taux de pauvreté",
    "older_65": "part des 65 ans et plus",
    "low_diploma": "part des personnes peu ou pas diplômées",
    "total": "indice de fragilité numérique",
}

# Beyond this distance a "nearest place" is not named: it usually means the places of the area are not in the loaded
# data (a source not imported for the département), so the plan says "none known within 30 km" instead.
NEARBY_MAX_KM = 30.0

MEDIATION = "mediation"
FRANCE_SERVICES = "france_services"
AIDANTS_CONNECT = "aidants_connect"
ACCESS_KINDS = (MEDIATION, FRANCE_SERVICES, AIDANTS_CONNECT)


def hub_phrase(name: str, form: str = "le") -> str:
    """ "le Hub Hinaura" / "au Hub Hinaura", or "Hub-Lo" / "à Hub-Lo" when the name already says Hub."""
    if not name:
        return {"le": "le Hub territorial de votre région", "au": "au Hub territorial de votre région"}[form]
    if name.lower().startswith("hub"):
        return name if form == "le" else f"à {name}"
    return f"{form} Hub {name}"


def size_band(population: int | None) -> str:
    if population is None:
        return UNKNOWN_SIZE
    if population <= SMALL_COMMUNE_MAX:
        return SMALL
    if population <= MEDIUM_COMMUNE_MAX:
        return MEDIUM
    return LARGE


@dataclass(frozen=True)
class IfnFigure:
    """One IFN part (1–10, 10 = most fragile) of the commune, with the département median to compare with."""

    part: str
    value: float | None
    median: float | None = None
    scope: str = "commune"  # "commune", or "epci" when the commune value is missing and the EPCI's is used
    citation: str = ""
    vintage: str = ""  # of the source file, e.g. "IFN publié 2023–2024"

    @property
    def label(self) -> str:
        return IFN_LABELS[self.part]

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Access:
    """Nearest place of a kind (computed at import) and how many lie within 10 km."""

    kind: str
    nearest_km: float | None
    within_10km: int
    nearest_name: str = ""
    citation: str = ""
    # Contact of the nearest place, for a step that orients towards it ("Orienter vers X (à 2,1 km)")
    nearest_address: str = ""  # "1 place de l'Église, 18240 Boulleret"
    nearest_phone: str = ""
    nearest_email: str = ""
    nearest_website: str = ""

    @property
    def nearest_contact(self) -> str:
        """ "1 place de l'Église, 18240 Boulleret · Tél. 02 … · contact@… · https://…" (empty when nothing known)."""
        parts = [self.nearest_address, f"Tél. {self.nearest_phone}" if self.nearest_phone else ""]
        parts += [self.nearest_email, self.nearest_website]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class PlanFacts:
    commune_name: str = "Commune"
    population: int | None = None
    answers: dict = field(default_factory=dict)
    ifn: dict[str, IfnFigure] = field(default_factory=dict)  # part (and "total") -> figure; absent = no data
    access: dict[str, Access] = field(default_factory=dict)  # kind -> access; absent = no data
    hub_name: str = ""
    departement_name: str = ""
    departement_code: str = ""

    @property
    def size(self) -> str:
        return size_band(self.population)

    def answer(self, key):
        return self.answers.get(key)

    def ifn_figure(self, part: str) -> IfnFigure:
        return self.ifn.get(part) or IfnFigure(part, None)


def departement_medians(departement_code: str) -> dict[str, float | None]:
    """Median of each IFN part (and the total) over the communes of a département (zero/empty rows ignored):
    the public pages' cached selector."""
    from territories.selectors import departement_ifn_stats

    return dict(departement_ifn_stats(departement_code).medians)


def facts_for(diagnostic) -> PlanFacts:
    """Read the database once and build the plan's facts for a diagnostic: its answers, and the open data of its
    commune (cached per data version: territory_facts)."""
    commune = diagnostic.commune
    departement = commune.departement
    territory = territory_facts(commune)
    return PlanFacts(
        commune_name=commune.name,
        population=commune.population,
        answers=dict(diagnostic.answers.values_list("question", "value")),
        ifn=territory["ifn"],
        access=territory["access"],
        hub_name=territory["hub_name"],
        departement_name=departement.name,
        departement_code=departement.code,
    )


def territory_facts(commune) -> dict:
    """The IFN figures, nearest help and Hub of a commune: open data only, so cached per data version (4 queries
    saved on every plan page and export)."""
    from territories.selectors import cached_per_data_version

    return cached_per_data_version(f"plan-territory:v1:{commune.pk}", lambda: _territory_facts(commune))


def _territory_facts(commune) -> dict:
    from territories.models import CommuneIfn, CommunePlaceAccess, EpciIfn
    from territories.selectors import place_kinds_of_departement

    departement = commune.departement
    ifn_row = CommuneIfn.objects.select_related("source").filter(commune=commune).first()
    epci_row = (
        EpciIfn.objects.select_related("source").filter(epci_id=commune.epci_id).first() if commune.epci_id else None
    )
    medians = departement_medians(departement.code)
    ifn: dict[str, IfnFigure] = {}
    for part in (*IFN_PARTS, "total"):
        value = getattr(ifn_row, part, None) if ifn_row else None
        if value == 0:  # "a few communes are empty or 0": 0 is outside the 1–10 scale, so it is no figure
            value = None
        scope, row = "commune", ifn_row
        if value is None and part == "poverty" and epci_row and epci_row.poverty:
            # INSEE blanks the poverty rate of small communes: fall back to the EPCI, and say so.
            value, scope, row = epci_row.poverty, "epci", epci_row
        if value is None:
            continue
        citation = row.source.citation if row and row.source else ""
        vintage = row.source.vintage if row and row.source else ""
        ifn[part] = IfnFigure(part, value, medians.get(part), scope, citation, vintage)

    access = {}
    # A kind of place with no row at all in the département means its source is not loaded there (e.g. no
    # lieux de médiation file for that area): missing data, not "no place nearby".
    kinds_in_departement = place_kinds_of_departement(departement.code)
    for row in CommunePlaceAccess.objects.filter(commune=commune).select_related("nearest", "nearest__source"):
        if row.kind not in kinds_in_departement:
            continue
        nearby = row.nearest is not None and row.nearest_km is not None and row.nearest_km <= NEARBY_MAX_KM
        place = row.nearest if nearby else None
        access[row.kind] = Access(
            row.kind,
            row.nearest_km if nearby else None,
            row.within_10km,
            " ".join([place.name, *(f"({w})" for w in place.warnings)]) if place else "",
            place.source.citation if place else "",
            nearest_address=_address(place) if place else "",
            nearest_phone=place.phone if place else "",
            nearest_email=place.email if place else "",
            nearest_website=place.website if place else "",
        )
    hub = departement.hub
    return {"ifn": ifn, "access": access, "hub_name": hub.name if hub else ""}


def _address(place) -> str:
    town = " ".join(p for p in (place.postcode, place.city) if p)
    return ", ".join(p for p in (place.address, town) if p)
