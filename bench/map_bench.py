"""Weight of the Cher (18) fragility map page beside folium's default output for the same communes.

Ours: the whole HTML page /departements/18/carte/ (layout, legend, map script with the encoded contours), as served.
Default: folium.Map() + folium.Choropleth() of the unsimplified contours of
shared/data/geo/cog2025-mathieulebasic/communes-dep18.geojson coloured by the IFN total, saved to HTML.
Neither counts the Leaflet library itself (ours is a cached static file; folium's comes from CDNs).

Needs the Cher loaded (`manage.py load_open_data --departements 18`):
    .venv/bin/python bench/map_bench.py [--data-dir ../shared/data] [--out /tmp]
Targets: ours <= 350 KB and <= 0.25 of the default.
"""

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings_test")  # no HTTPS redirect

import django  # noqa: E402

django.setup()

import folium  # noqa: E402
import pandas as pd  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from territories.models import Commune  # noqa: E402


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def default_folium(data_dir: Path, out: Path) -> Path:
    geo = json.loads((data_dir / "geo/cog2025-mathieulebasic/communes-dep18.geojson").read_text(encoding="utf-8"))
    for feature in geo["features"]:
        feature["properties"]["code"] = feature["properties"]["code_territoire"].removeprefix("com")
    ifn = pd.read_csv(data_dir / "indicators/ifn-communes.csv", dtype={"code": str})
    ifn = ifn[ifn["code"].str.startswith("18")]
    fmap = folium.Map(location=[47.0, 2.5], zoom_start=8)
    folium.Choropleth(
        geo_data=geo,
        data=ifn,
        columns=["code", "total"],
        key_on="feature.properties.code",
        fill_color="YlOrRd",
        legend_name="Indice de fragilité numérique",
    ).add_to(fmap)
    path = out / "map-default-folium-18.html"
    fmap.save(str(path))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=os.environ.get("INCLUSION_DATA_DIR") or str(ROOT.parent / "shared/data"))
    parser.add_argument("--out", default="/tmp")
    args = parser.parse_args()
    data_dir, out = Path(args.data_dir), Path(args.out)

    count = Commune.objects.filter(departement_id="18").exclude(geometry="").count()
    if not count:
        sys.exit("No Cher commune with a contour: run `manage.py load_open_data --departements 18` first.")
    cache.clear()
    client = Client()
    start = time.perf_counter()
    response = client.get("/departements/18/carte/")
    cold_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    client.get("/departements/18/carte/")
    warm_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    ours = response.content
    (out / "map-ours-18.html").write_bytes(ours)
    default = default_folium(data_dir, out).read_bytes()

    print(f"Cher (18): {count} communes with a contour")
    print(f"ours    /departements/18/carte/ : {kb(len(ours)):>10}  (gzip {kb(len(gzip.compress(ours)))})")
    print(f"default folium Map+Choropleth   : {kb(len(default)):>10}  (gzip {kb(len(gzip.compress(default)))})")
    ratio = len(ours) / len(default)
    print(f"ratio ours/default              : {ratio:10.3f}  (targets: <= 350 KB and <= 0.25)")
    print(f"server time: {cold_ms:.0f} ms cold (contours simplified), {warm_ms:.0f} ms warm (cached contours)")
    print(f"files: {out / 'map-ours-18.html'}  {out / 'map-default-folium-18.html'}")
    ok = len(ours) <= 350 * 1024 and ratio <= 0.25
    print("OK" if ok else "TARGET MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
