"""Territorial Hubs for inclusive digital (one per région) and the départements they cover."""

from __future__ import annotations

from pathlib import Path

from django.utils.text import slugify

from territories import opendata
from territories.formatting import agree, number
from territories.importers.base import FileFormatError, JsonDoc, Summary, shown
from territories.models import Departement, Hub
from territories.services import sync_m2m, sync_rows

FILE = opendata.path("hubs")


def parse_hubs(path: Path) -> dict[str, dict]:
    """slug -> {name, url, regions: set, departements: set}."""
    doc = JsonDoc(path)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("regions"), list):
        raise FileFormatError(path, 'un objet avec un tableau "regions" était attendu', line=1, column=1)
    hubs: dict[str, dict] = {}
    for i, rec in enumerate(doc.data["regions"]):
        hub = rec.get("hub") if isinstance(rec, dict) else None
        if not isinstance(hub, dict) or not hub.get("nom"):
            raise doc.error(i, 'nom du hub absent (champ "nom" de "hub")', key="hub", array_key="regions")
        if not rec.get("code_region"):
            raise doc.error(i, 'champ "code_region" absent', array_key="regions")
        deps = rec.get("departements")
        if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
            raise doc.error(i, '"departements" doit être une liste de codes', key="departements", array_key="regions")
        url = hub.get("url") or ""
        if url and not url.startswith(("http://", "https://")):
            raise doc.error(i, f"adresse web du hub invalide {shown(url)}", key="url", array_key="regions")
        slug = slugify(hub["nom"])[:80]
        entry = hubs.setdefault(slug, {"name": hub["nom"][:120], "url": url, "regions": set(), "departements": {}})
        entry["url"] = entry["url"] or url
        entry["regions"].add(str(rec["code_region"]))
        for dep in deps:
            if dep in entry["departements"] or any(dep in h["departements"] for h in hubs.values()):
                raise doc.error(i, f"département {shown(dep)} cité deux fois", key="departements", array_key="regions")
            entry["departements"][dep] = True
    return hubs


def write_hubs(*, hubs: dict, source_id: int, regions: set[str], departements: set[str]) -> list[Summary]:
    summary = Summary("Hubs")
    rows = {slug: {"name": h["name"], "url": h["url"], "source_id": source_id} for slug, h in hubs.items()}
    summary.add(sync_rows(model=Hub, rows=rows, key="slug", fields=["name", "url", "source_id"]))
    ids = dict(Hub.objects.filter(slug__in=hubs).values_list("slug", "pk"))
    pairs = {(ids[slug], code) for slug, h in hubs.items() for code in h["regions"] if code in regions}
    unknown = sorted({code for h in hubs.values() for code in h["regions"] if code not in regions})
    links = Summary("Hub ↔ régions").add(
        sync_m2m(through=Hub.regions.through, pairs=pairs, left="hub_id", right="region_id", scope={})
    )
    if unknown:
        links.notes.append(f"codes de région absents du COG, ignorés : {', '.join(unknown)}")
    deps = Summary("Départements → hub")
    wanted = {dep: ids[slug] for slug, h in hubs.items() for dep in h["departements"] if dep in departements}
    rows = {dep: {"hub_id": wanted.get(dep)} for dep in departements}
    deps.add(sync_rows(model=Departement, rows=rows, fields=["hub_id"]))
    without = sum(1 for d in departements if d not in wanted)
    have = agree(without, "département n'a", "départements n'ont")
    deps.notes.append(f"{number(without)} {have} pas de hub dans le fichier")
    return [summary, links, deps]
