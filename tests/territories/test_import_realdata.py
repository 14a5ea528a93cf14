"""Open data importers on the real files (INCLUSION_DATA_DIR, ../shared/data). Skipped without them."""

import re
from io import StringIO

import numpy as np
import pytest
import shapely
from django.core.management import call_command
from django.db.models import Sum
from pyproj import Transformer

from territories.importers.sources import admin, contours, ifn
from territories.models import (
    Commune,
    CommuneIfn,
    CommunePlaceAccess,
    DataSource,
    Departement,
    Epci,
    EpciIfn,
    Place,
)

pytestmark = pytest.mark.realdata
to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)


def load(data_dir, *departements) -> str:
    out = StringIO()
    call_command(
        "load_open_data", "--departements", *departements, "--data-dir", str(data_dir), "--no-progress", stdout=out
    )
    return out.getvalue()


@pytest.mark.django_db
def test_three_departements(real_data_dir):
    output = load(real_data_dir, "18", "69", "84")
    selection = ["18", "69", "84"]

    expected = {"18": (286, 298_660, 18), "69": (266, 1_914_667, 13), "84": (151, 572_056, 14)}
    for dep, (communes, inhabitants, epcis) in expected.items():
        rows = Commune.objects.filter(departement=dep)
        assert rows.count() == communes
        assert rows.aggregate(total=Sum("population"))["total"] == inhabitants
        assert Epci.objects.filter(communes__departement=dep).distinct().count() == epcis
    # reference data is national: every commune of COG 2026, contours only for the selection
    assert Commune.objects.count() == 34_969
    assert Commune.objects.exclude(geometry="").count() == 703

    # IFN as published, and Lyon derived from its arrondissements
    boulleret = Commune.objects.get(insee="18032")
    assert boulleret.search_name == "boulleret"
    assert boulleret.ifn.total == 7.8 and boulleret.ifn.status == "measured"
    assert CommuneIfn.objects.get(commune_id="69266").total == pytest.approx(3.63, abs=0.005)
    lyon = CommuneIfn.objects.get(commune_id="69123")
    assert lyon.status == "derived" and 1 <= lyon.total <= 10
    assert "69381" in lyon.note and "pondérée par la population" in lyon.note
    assert not CommuneIfn.objects.filter(status="missing", commune__departement__in=selection).exists()
    assert CommuneIfn.objects.count() == 34_969
    assert (
        EpciIfn.objects.filter(total__isnull=False, epci__communes__departement__in=selection).distinct().count() == 45
    )

    # contours (COG 2025 files): every commune of the selection; 69114 (a 2026 commune nouvelle) gets the union of
    # its former communes' contours, marked derived
    assert not Commune.objects.filter(departement__in=selection, centroid_lat__isnull=True).exists()
    nouvelle = Commune.objects.get(insee="69114")
    assert nouvelle.contour_derived and "anciennes communes" in nouvelle.contour_note
    assert Commune.objects.get(insee="18033").geometry_source.key == "contours-communes-18"
    assert "n'a retenu les contours que d'autres" in Commune.objects.get(insee="01001").contour_note
    assert Departement.objects.exclude(geometry="").count() == 108

    # places (France services per département as in mediation/PROVENANCE.md), hubs, access figures
    fs = Place.objects.filter(kind="france_services")
    assert {dep: fs.filter(commune__departement=dep).count() for dep in expected} == {"18": 22, "69": 34, "84": 25}
    assert fs.exclude(commune__departement__in=selection).count() > 2000  # every place of France is loaded
    assert Place.objects.filter(kind="mediation", commune__departement="69").count() == 48
    assert Departement.objects.get(code="18").hub.name == "Hub-Lo"
    assert Departement.objects.get(code="69").hub.name == "Hinaura"
    # France services and Aidants Connect everywhere; lieux de médiation only where a file covers the région: 69
    # (Hinaura), and since the raw Hub-Lo and Région Sud files are imported, 18 and 84 too
    assert CommunePlaceAccess.objects.filter(kind="france_services").count() == 703
    assert CommunePlaceAccess.objects.filter(kind="aidants_connect").count() == 703
    assert set(CommunePlaceAccess.objects.filter(kind="mediation").values_list("commune__departement", flat=True)) == {
        "18",
        "69",
        "84",
    }
    access = CommunePlaceAccess.objects.get(commune_id="18032", kind="france_services")
    assert 0 < access.nearest_km < 30 and access.within_10km >= 1
    assert "Contours communes-dep69.geojson :" in output

    # second run: nothing changes
    stamps = list(DataSource.objects.order_by("key").values_list("key", "imported_at", "sha256"))
    again = load(real_data_dir, "18", "69", "84")
    assert "Aucun changement" in again
    assert list(DataSource.objects.order_by("key").values_list("key", "imported_at", "sha256")) == stamps


def test_national_ifn_derived_and_missing(real_data_dir):
    """No database: the national IFN bookkeeping on the real files (108 current communes have no row)."""
    data = admin.parse_admin(real_data_dir)
    rows = ifn.parse_ifn(real_data_dir / ifn.FILES["ifn-communes"], code_kind="insee")
    assert len(data.communes) == 34_969
    assert sum(1 for code in data.communes if code not in rows) == 108
    wanted, summary = ifn.build_commune_ifn(
        rows=rows, communes=data.communes, parts=data.parts, part_kind=data.part_kind, source_id=1
    )
    derived = sorted(code for code, v in wanted.items() if v["status"] == "derived")
    missing = [code for code, v in wanted.items() if v["status"] == "missing"]
    # Paris, Lyon, Marseille (empty row) from arrondissements; 4 communes nouvelles from their former communes
    assert derived == ["12218", "13055", "14581", "49126", "69114", "69123", "75056"]
    # 102 without row or part (mostly overseas COM) + 6 uninhabited Meuse communes published as all-0 rows
    assert len(missing) == 108
    assert wanted["55039"]["status"] == "missing" and wanted["55039"]["total"] is None
    assert "7 valeurs déduites, 108 valeurs absentes" in summary.notes[0]
    assert "poids égaux" in wanted["12218"]["note"]
    assert wanted["18032"]["total"] == 7.8


def test_coverage_simplification_keeps_shared_borders(real_data_dir):
    codes, geoms, _repairs = contours.parse_contours(
        real_data_dir / "geo/cog2025-mathieulebasic/communes-dep18.geojson"
    )
    simplified = contours.simplify_coverage(geoms, contours.COMMUNE_TOLERANCE * 4)
    assert shapely.is_valid(simplified).all()
    assert shapely.coverage_is_valid(simplified)  # no overlap, no gap between neighbours
    assert shapely.get_num_coordinates(simplified).sum() < shapely.get_num_coordinates(geoms).sum()
    # coordinates are on the 5-decimal grid
    coords = shapely.get_coordinates(simplified)
    assert np.allclose(coords, np.round(coords, 5), atol=1e-9)
    assert len(codes) == 286


def _l93_km(lon1, lat1, lon2, lat2) -> float:
    x1, y1 = to_l93.transform(lon1, lat1)
    x2, y2 = to_l93.transform(lon2, lat2)
    return ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 / 1000


@pytest.mark.django_db
def test_partial_load_help_across_the_border_and_national_medians(real_data_dir, client):
    """Contours of the Cher only: its communes still see the France services of the neighbouring départements, and
    the profile's national median is the median of the whole IFN file, not of the Cher."""
    import csv
    import statistics

    load(real_data_dir, "18")
    fs = list(Place.objects.filter(kind="france_services", latitude__isnull=False).select_related("commune"))
    across = CommunePlaceAccess.objects.filter(commune__departement="18", kind="france_services").exclude(
        nearest__commune__departement="18"
    )
    assert across.exists(), "some Cher communes have their nearest France services in another département"
    for access in across.select_related("commune")[:5]:
        commune = access.commune
        distances = {p.pk: _l93_km(commune.centroid_lon, commune.centroid_lat, p.longitude, p.latitude) for p in fs}
        nearest = min(distances, key=distances.get)
        assert access.nearest_id == nearest
        assert access.nearest_km == pytest.approx(distances[nearest], abs=0.001)
        assert access.within_10km == sum(d <= 10 for d in distances.values())
    counted_across = [
        a
        for a in CommunePlaceAccess.objects.filter(commune__departement="18", kind="france_services")
        .select_related("commune")
        .iterator()
        if any(
            p.commune is not None
            and p.commune.departement_id != "18"
            and _l93_km(a.commune.centroid_lon, a.commune.centroid_lat, p.longitude, p.latitude) <= 10
            for p in fs
            if abs(p.latitude - a.commune.centroid_lat) < 0.2 and abs(p.longitude - a.commune.centroid_lon) < 0.3
        )
    ]
    assert counted_across, "some Cher communes count a France services across the border within 10 km"

    with open(real_data_dir / ifn.FILES["ifn-communes"], encoding="utf-8") as handle:
        totals = [float(row["total"]) for row in csv.DictReader(handle) if row["total"] and float(row["total"]) > 0]
    national = statistics.median(totals)
    cher = statistics.median(
        CommuneIfn.objects.filter(commune__departement="18", total__gt=0).values_list("total", flat=True)
    )
    html = client.get("/communes/18032/").text
    row = html[html.index('<tr class="row-total">') :]
    row = row[: row.index("</tr>")]
    cells = [c.strip() for c in re.findall(r'<td class="num">([^<]*)</td>', row)]
    assert cells[-1] == f"{national:.1f}".replace(".", ","), (cells, national, cher)
