"""Page weight: bytes transferred per page type, from a cold cache, as Chromium sees them on the wire.

    .venv/bin/python bench/weight_bench.py                       # starts its own site (bench/_server.py)
    .venv/bin/python bench/weight_bench.py --url http://127.0.0.1:PORT --site-workdir /tmp/site   # reuse one
    .venv/bin/python bench/weight_bench.py --departements 18 84 AURA  # the whole Auvergne-Rhône-Alpes région map

For each page type a fresh browser context (empty cache, only the session cookie for signed-in pages) loads the page
and waits until the network is idle, then scrolls to the map, if any, and waits again: a map loads Leaflet and its data
only when it comes near the viewport (static/js/map.js), and a page's weight counts its map. The Chrome DevTools
Protocol reports each response's `encodedDataLength` (headers + body as transferred, i.e. after gzip/brotli).
Targets: ≤ 100 KB for every page, département maps included; région map ≤ 350 KB (with --departements 18 84 AURA:
the 4 030 communes of Auvergne-Rhône-Alpes). On a national site (the default) the heaviest pages of France are
measured too (bench/_pages.HEAVIEST_PAGES: the Nord's map, Lille's profile and plan, the dashboard on the
Pas-de-Calais).
Not run in CI.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pages import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    HEAVIEST_PAGES,
    PAGES,
    departements_arg,
    heaviest_states,
    signed_in_states,
    site_from_args,
)

TARGETS_KB = {"région map": 350}  # every other page (département map and profile, map included): 100 KB
DEFAULT_TARGET_KB = 100


def measure(browser, base_url: str, state, path: str) -> dict:
    context = browser.new_context(base_url=base_url, storage_state=state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    urls: dict[str, str] = {}

    def on_response(event):
        kinds[event["requestId"]] = event["type"]
        urls[event["requestId"]] = event["response"]["url"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", lambda e: sizes.update({e["requestId"]: int(e["encodedDataLength"])}))
    page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(300)
    page.evaluate(
        "() => { const map = document.querySelector('.folium-map, #dashboard-map');"
        " if (map) map.scrollIntoView(); else window.scrollTo(0, document.body.scrollHeight); }"
    )
    seen, quiet = -1, 0
    while quiet < 3:  # 1.5 s without a new response: the map's files, if any, have arrived
        page.wait_for_timeout(500)
        quiet = quiet + 1 if len(sizes) == seen else 0
        seen = len(sizes)
    by_kind: dict[str, int] = {}
    for request_id, size in sizes.items():
        kind = kinds.get(request_id, "Other")
        by_kind[kind] = by_kind.get(kind, 0) + size
    biggest = sorted(((size, urls.get(rid, "?")) for rid, size in sizes.items()), reverse=True)[:3]
    context.close()
    return {"total": sum(sizes.values()), "requests": len(sizes), "by_kind": by_kind, "biggest": biggest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running site started by bench/_server.py")
    parser.add_argument("--site-workdir", help="its work folder (SQLite database), needed with --url")
    parser.add_argument("--departements", nargs="*", help="départements to load (own site; AURA = its 12)")
    args = parser.parse_args()
    args.departements = departements_arg(args.departements)
    from playwright.sync_api import sync_playwright

    site, own = site_from_args(args, Path(tempfile.mkdtemp(prefix="inclusion_weight_")))
    ok = True
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states, ids = signed_in_states(browser, site)
            pages = [(label, role, path, states, ids) for label, role, path in PAGES]
            heaviest = heaviest_states(browser, site)
            if heaviest:
                pages += [(label, role, path, *heaviest) for label, role, path in HEAVIEST_PAGES]
            else:
                print("(no contours of the Nord on this site: the heaviest national pages are not measured)")
            print(f"{'Page type':20} {'KB':>8} {'target':>7} {'requests':>9}  breakdown (KB)")
            for label, role, path, states, ids in pages:
                result = measure(browser, site.base_url, states[role], path.format(**ids))
                kb = result["total"] / 1024
                target = TARGETS_KB.get(label, DEFAULT_TARGET_KB)
                ok &= kb <= target
                breakdown = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(result["by_kind"].items()))
                flag = "" if kb <= target else "  << OVER"
                print(f"{label:20} {kb:8.1f} {target:7d} {result['requests']:9d}  {breakdown}{flag}")
                if kb > target:
                    for size, url in result["biggest"]:
                        print(f"{'':20}   {size / 1024:8.1f} KB  {url}")
            browser.close()
    finally:
        if own:
            site.stop()
    print("OK" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
