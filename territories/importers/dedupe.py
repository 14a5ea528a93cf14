"""One place per real site, after every source of places is written (and before the access figures).

Records of the same site across sources (France services, a Hub's MSAP-era directory, Aidants Connect, lieux de
médiation) are merged when, for two records of different sources:
- they lie in the same commune, both exactly located, at most MERGE_METRES apart; or
- they carry the same SIRET; or
- in the same commune, their normalised names (labels such as "France services" or "MSAP" left out) or their
  normalised street addresses are equal; or their names are equal, name a commune, and they lie within NAME_KM.
The site's main record is its France services record when it has one (the current label replaces a pre-2020 one),
else the best-located record of the most authoritative source; every other record points at it (`same_site_as`).
The main record holds every kind of the site (`kinds`), the flag "ancienne MSAP, à vérifier" when a pre-2020 label
(MSAP, RSP) is matched to no France services record (`old_label`), and the conseillers numériques its structures host
(`conseillers`, from sources/conseillers.py). Only differences are written: a second import changes nothing.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from territories.formatting import agree, number, plural
from territories.importers.base import Summary
from territories.importers.sources.conseillers import Structure
from territories.models import Place
from territories.text import normalize_search

MERGE_METRES = 150
NAME_KM = 10
# most authoritative first: the main record of a site
SOURCE_ORDER = [
    "france-services",
    "mediation-national",
    "aidants-connect",
    "mediation-hinaura",
    "mediation-hub-lo",
    "mediation-region-sud",
]
OLD_LABEL_RE = re.compile(
    r"\b(msap|rsp)\b|maisons? (de |des )?services? (au |aux )?publics?|relais (de |des )?services? publics?",
    re.IGNORECASE,
)
LABEL_WORDS_RE = re.compile(
    r"\b(espace |maison )?france services?\b|\bmsap\b|\brsp\b|maisons? (de |des )?services? (au |aux )?publics?|"
    r"relais (de |des )?services? publics?|\bantenne\b|\bitinerante?\b"
)
STOP_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en"}
ADDRESS_WORDS = [(r"\bav\b", "avenue"), (r"\bbd\b", "boulevard"), (r"\bpl\b", "place"), (r"\bbis\b", "")]


def name_key(text: str) -> str:
    text = LABEL_WORDS_RE.sub(" ", normalize_search(text))
    return " ".join(w for w in text.split() if w not in STOP_WORDS)


def address_key(text: str) -> str:
    """A street address with its number: "12 av. de la Gare" -> "12 avenue gare"; "" without a number."""
    text = normalize_search(text)
    for pattern, full in ADDRESS_WORDS:
        text = re.sub(pattern, full, text)
    words = [w for w in text.split() if w not in STOP_WORDS]
    return " ".join(words) if words and any(w.isdigit() for w in words) and len(words) >= 3 else ""


def siret_of(details: dict) -> str:
    for key in ("siret", "pivot"):
        value = str(details.get(key) or "").strip().removesuffix(".0").replace(" ", "")
        if len(value) == 14 and value.isdigit() and set(value) != {"0"}:
            return value
    return ""


def metres(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


class _Sites:
    """Union-find over places; two records of one source never end in the same site."""

    def __init__(self, places):
        self.parent = {p.pk: p.pk for p in places}
        self.sources = {p.pk: {p.source_id} for p in places}

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a, b) -> None:
        a, b = self.find(a), self.find(b)
        if a != b and not self.sources[a] & self.sources[b]:
            self.parent[a] = b
            self.sources[b] |= self.sources.pop(a)


def _same_site(a, b, keys) -> bool:
    if a.source_id == b.source_id:
        return False  # a source's own records are distinct by its own identifiers
    if keys[a.pk]["siret"] and keys[a.pk]["siret"] == keys[b.pk]["siret"]:
        return True
    exact = a.location == b.location == Place.Location.EXACT and not (_mobile(a) or _mobile(b))
    if a.commune_id and a.commune_id == b.commune_id:
        if exact and metres(a, b) <= MERGE_METRES:
            return True
        if keys[a.pk]["name"] and keys[a.pk]["name"] == keys[b.pk]["name"]:
            return True
        return bool(keys[a.pk]["address"] and keys[a.pk]["address"] == keys[b.pk]["address"])
    name = keys[a.pk]["name"]
    if name and name == keys[b.pk]["name"] and a.latitude is not None and b.latitude is not None:
        towns = {keys[a.pk]["town"], keys[b.pk]["town"], keys[a.pk]["commune"], keys[b.pk]["commune"]} - {""}
        return any(f" {town} " in f" {name} " for town in towns) and metres(a, b) <= NAME_KM * 1000
    return False


def _mobile(place) -> bool:
    """A bus or itinerant service: its coordinates are one stop, not a site."""
    details = place.details or {}
    return str(details.get("itinerance", "")).lower() == "oui" or "bus" in normalize_search(place.name).split()


def _labelled(place) -> bool:
    """A name carrying a France services label, current or pre-2020 ("MSAP de Sancoins", "Maison France Services")."""
    return bool(OLD_LABEL_RE.search(place.name) or re.search(r"france services?", normalize_search(place.name)))


def _rank(place, order) -> tuple:
    return (
        place.kind != Place.Kind.FRANCE_SERVICES,
        place.address_check == Place.AddressCheck.FLAGGED,
        place.location != Place.Location.EXACT,
        order.get(place.source.key, len(order)),
        place.pk,
    )


def _old_label(place) -> bool:
    details = place.details or {}
    texts = [place.name, *(details.get("categories") or []), *(details.get("labels") or [])]
    return any(OLD_LABEL_RE.search(str(t)) for t in texts)


def sites(places: list) -> list[list]:
    """Groups of places that are one real site (every place in exactly one group), main record first."""
    keys = {
        p.pk: {
            "siret": siret_of(p.details or {}),
            "name": name_key(p.name),
            "address": address_key(p.address),
            "town": name_key(p.city),
            "commune": name_key(p.commune.name) if p.commune_id else "",
        }
        for p in places
    }
    found = _Sites(places)
    by_commune: dict[str, list] = defaultdict(list)
    by_siret: dict[str, list] = defaultdict(list)
    by_name: dict[str, list] = defaultdict(list)
    for p in places:
        if p.commune_id:
            by_commune[p.commune_id].append(p)
        if keys[p.pk]["siret"]:
            by_siret[keys[p.pk]["siret"]].append(p)
        if keys[p.pk]["name"]:
            by_name[keys[p.pk]["name"]].append(p)
    # The MSAP of a commune became its France services: a labelled record joins the commune's only France services.
    for group in by_commune.values():
        fs = [p for p in group if p.kind == Place.Kind.FRANCE_SERVICES]
        if len(fs) == 1:
            for p in group:
                if p is not fs[0] and _labelled(p):
                    found.union(p.pk, fs[0].pk)
    for group in [*by_commune.values(), *by_siret.values(), *by_name.values()]:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if found.find(a.pk) != found.find(b.pk) and _same_site(a, b, keys):
                    found.union(a.pk, b.pk)
    groups: dict[int, list] = defaultdict(list)
    for p in places:
        groups[found.find(p.pk)].append(p)
    order = {key: i for i, key in enumerate(SOURCE_ORDER)}
    return [sorted(group, key=lambda p: _rank(p, order)) for group in groups.values()]


def match_conseillers(structures: list[Structure], site_groups: list[list], current_code: dict) -> dict[int, int]:
    """Main record id -> conseillers numériques hosted, for the structures matched to a site: same SIRET, else same
    commune and name, else (a structure labelled France services) the only France services site of its commune."""
    by_siret, by_name, fs_by_commune = {}, {}, defaultdict(list)
    for group in site_groups:
        main = group[0]
        for p in group:
            if siret := siret_of(p.details or {}):
                by_siret[siret] = main.pk
            if p.commune_id:
                by_name[(p.commune_id, name_key(p.name))] = main.pk
        if main.commune_id and Place.Kind.FRANCE_SERVICES in {p.kind for p in group}:
            fs_by_commune[main.commune_id].append(main.pk)
    out: dict[int, int] = defaultdict(int)
    for s in structures:
        if not s.conseillers:
            continue
        commune = current_code.get(s.insee, s.insee)
        site = by_siret.get(s.siret) if s.siret else None
        site = site or by_name.get((commune, name_key(s.name)))
        if site is None and s.france_services and len(fs_by_commune.get(commune, [])) == 1:
            site = fs_by_commune[commune][0]
        if site is not None:
            out[site] += s.conseillers
    return dict(out)


def write_sites(*, structures: list[Structure] | None, current_code: dict) -> Summary:
    """Merge the records of each real site and write what changed. `structures`: the conseillers numériques file."""
    summary = Summary("Sites (lieux fusionnés entre sources)")
    places = list(Place.objects.select_related("source", "commune").order_by("pk"))
    groups = sites(places)
    hosted = match_conseillers(structures or [], groups, current_code)
    wanted: dict[int, tuple] = {}
    for group in groups:
        main = group[0]
        kinds = "|".join(k for k in Place.Kind.values if k in {p.kind for p in group}) if len(group) > 1 else ""
        old = Place.Kind.FRANCE_SERVICES not in {p.kind for p in group} and any(_old_label(p) for p in group)
        wanted[main.pk] = (None, kinds, old, hosted.get(main.pk))
        for p in group[1:]:
            wanted[p.pk] = (main.pk, "", False, None)
    fields = ["same_site_as_id", "kinds", "old_label", "conseillers"]
    changed = []
    for p in places:
        if tuple(getattr(p, f) for f in fields) != wanted[p.pk]:
            for f, value in zip(fields, wanted[p.pk], strict=True):
                setattr(p, f, value)
            changed.append(p)
    Place.objects.bulk_update(changed, fields, batch_size=1000)
    summary.add({"updated": len(changed), "unchanged": len(places) - len(changed)})
    merged = [g for g in groups if len(g) > 1]
    records = sum(len(g) for g in merged)
    summary.notes.append(
        f"{plural(records, 'fiche fusionnée', 'fiches fusionnées')} en {plural(len(merged), 'site', 'sites')}"
    )
    summary.notes.append(
        "sites portant un label d'avant 2020 (MSAP, RSP) sans fiche France services correspondante, signalés "
        f"« ancienne MSAP, à vérifier » : {number(sum(1 for v in wanted.values() if v[2]))}"
    )
    if structures is not None:
        total = sum(s.conseillers for s in structures)
        matched = sum(hosted.values())
        summary.notes.append(
            f"conseillers numériques : {plural(total, 'conseiller', 'conseillers')} dans "
            f"{plural(len(structures), 'structure', 'structures')} du fichier, dont {number(matched)} "
            f"{agree(matched, 'accueilli', 'accueillis')} par {plural(len(hosted), 'site', 'sites')} "
            "(les autres ne correspondent à aucun lieu chargé)"
        )
    return summary
