"""The national import on the real folder (INCLUSION_DATA_DIR, ../shared/data): `load_open_data --all` succeeds,
communes nouvelles get their former communes' contours, and every metropolitan département map answers.

One test (the import is the slow part, ~20–40 s on SQLite here; the 96 map pages ~1 min).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from territories.importers.sources import admin, contours
from territories.models import Commune, CommunePlaceAccess, Departement, Place

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

METROPOLITAN = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]


def test_national_import_contours_access_and_every_map(real_data_dir, client):
    out = StringIO()
    call_command("load_open_data", "--all", "--data-dir", str(real_data_dir), "--no-progress", stdout=out)
    output = out.getvalue()
    assert Commune.objects.count() == 34_969

    # every commune nouvelle whose former communes have contours gets their union, and nearest-help figures
    data = admin.parse_admin(real_data_dir)
    with_contour = set()
    for dep in METROPOLITAN:
        codes, _geoms, _repairs = contours.parse_contours(
            real_data_dir / contours.commune_contour_file(real_data_dir, dep)
        )
        with_contour.update(codes)
    nouvelles = {data.current_code[c] for c in with_contour if c not in data.communes and c in data.current_code}
    assert len(nouvelles) >= 40
    derived = Commune.objects.filter(insee__in=nouvelles)
    assert derived.filter(contour_derived=True).count() == len(nouvelles)
    assert not derived.filter(centroid_lat__isnull=True).exists()
    for kind in (Place.Kind.FRANCE_SERVICES, Place.Kind.AIDANTS_CONNECT):
        assert CommunePlaceAccess.objects.filter(commune__in=nouvelles, kind=kind).count() == len(nouvelles)
    union = "communes nouvelles reçoivent la réunion des contours de leurs anciennes communes (contour calculé)"
    assert union in output

    # nothing silently dropped: communes without contour are listed, overseas communes say why
    assert "communes actuelles de la sélection n'ont pas de contour dans la source" in output and "15031" in output
    assert "outre-mer" in Commune.objects.get(insee="97101").contour_note
    assert "rétablie, créée ou recodée" in Commune.objects.get(insee="15031").contour_note
    assert (
        not Commune.objects.filter(departement__in=METROPOLITAN, centroid_lat__isnull=True)
        .exclude(contour_note__contains="rétablie")
        .exists()
    )

    # all 96 metropolitan département map pages answer, with a map
    assert Departement.objects.filter(code__in=METROPOLITAN).count() == 96
    for code in METROPOLITAN:
        response = client.get(f"/departements/{code}/carte/")
        assert response.status_code == 200, code
        assert "inclusionMap.communes(" in response.text, code
