"""Open data importers on the real files (INCLUSION_DATA_DIR, ../shared/data). Skipped without them."""

from io import StringIO

import numpy as np
import pytest
import shapely
from django.core.management import call_command
from django.db.models import Sum

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


def load(data_dir, *departements) -> str:
    out = StringIO()
    call_command(
        "load_open_data", "--departements", *departements, "--data-dir", str(data_dir), "--no-progress", stdout=out
    )
    return out.getvalue()


@pytest.mark.django_db
def test_three_departements(real_data_dir):
    output = load(real_data_dir, "18", "69", "84")

    expected = {"18": (286, 298_660, 18), "69": (266, 1_914_667, 13), "84": (151, 572_056, 14)}
    for dep, (communes, inhabitants, epcis) in expected.items():
        rows = Commune.objects.filter(departement=dep)
        assert rows.count() == communes
        assert rows.aggregate(total=Sum("population"))["total"] == inhabitants
        assert Epci.objects.filter(communes__departement=dep).distinct().count() == epcis
    assert Commune.objects.count() == 703

    # IFN as published, and Lyon derived from its arrondissements
    boulleret = Commune.objects.get(insee="18032")
    assert boulleret.search_name == "boulleret"
    assert boulleret.ifn.total == 7.8 and boulleret.ifn.status == "measured"
    assert CommuneIfn.objects.get(commune_id="69266").total == pytest.approx(3.63, abs=0.005)
    lyon = CommuneIfn.objects.get(commune_id="69123")
    assert lyon.status == "derived" and 1 <= lyon.total <= 10
    assert "69381" in lyon.note and "pondérée par la population" in lyon.note
    assert not CommuneIfn.objects.filter(status="missing").exists()
    assert EpciIfn.objects.filter(total__isnull=False).count() == 45

    # contours (COG 2025 files): every commune of 18 and 84; Rhône lacks 69114 (a 2026 commune nouvelle)
    assert not Commune.objects.filter(departement__in=["18", "84"], centroid_lat__isnull=True).exists()
    assert list(Commune.objects.filter(centroid_lat__isnull=True).values_list("insee", flat=True)) == ["69114"]
    assert Commune.objects.get(insee="18033").geometry_source.key == "contours-communes-18"
    assert Departement.objects.exclude(geometry="").count() == 108

    # places (France services per département as in mediation/PROVENANCE.md), hubs, access figures
    fs = Place.objects.filter(kind="france_services")
    assert {dep: fs.filter(commune__departement=dep).count() for dep in expected} == {"18": 22, "69": 34, "84": 25}
    assert Place.objects.filter(kind="mediation", commune__departement="69").count() == 48
    assert not Place.objects.exclude(commune__departement__in=list(expected)).exists()
    assert Departement.objects.get(code="18").hub.name == "Hub-Lo"
    assert Departement.objects.get(code="69").hub.name == "Hinaura"
    # France services and Aidants Connect everywhere; lieux de médiation only where a file covers the région: 69
    # (Hinaura), and since the raw Hub-Lo and Région Sud files are imported, 18 and 84 too
    assert CommunePlaceAccess.objects.filter(kind="france_services").count() == 702
    assert CommunePlaceAccess.objects.filter(kind="aidants_connect").count() == 702
    assert set(CommunePlaceAccess.objects.filter(kind="mediation").values_list("commune__departement", flat=True)) == {
        "18",
        "69",
        "84",
    }
    access = CommunePlaceAccess.objects.get(commune_id="18032", kind="france_services")
    assert 0 < access.nearest_km < 30 and access.within_10km >= 1
    assert "Contours communes-dep69.geojson" in output

    # second run: nothing changes
    stamps = list(DataSource.objects.order_by("key").values_list("key", "imported_at", "sha256"))
    again = load(real_data_dir, "18", "69", "84")
    assert "Nothing changed" in again
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
    assert "7 derived, 108 missing" in summary.notes[0]
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
