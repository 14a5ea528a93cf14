"""Slow rural link: is the page usable within 3 s from a cold cache at 400 kbit/s and 400 ms latency?

    .venv/bin/python bench/bandwidth_bench.py                    # starts its own site (bench/_server.py)
    .venv/bin/python bench/bandwidth_bench.py --url http://127.0.0.1:PORT --site-workdir /tmp/site --runs 3

Chromium's network emulation (CDP `Network.emulateNetworkConditions`: download and upload 400 kbit/s, latency
400 ms; cache disabled) is switched on after sign-in, in a fresh context, so every measured load is cold. For each
page type it prints, in milliseconds from the start of navigation: first byte, first and largest contentful paint,
"usable" (the page's <h1> and main content are painted, and for the questionnaire step its form is visible: measured by
Playwright waiting for them to be visible, after the stylesheets have been applied), DOMContentLoaded and load.
Target: usable ≤ 3000 ms for the questionnaire step and the commune profile (the others are printed for
information). Figures, not a timed test: not run in CI.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pages import CHROMIUM, CHROMIUM_ARGS, PAGES, signed_in_states, site_from_args  # noqa: E402

KBIT = 1000 / 8  # bytes per second for 1 kbit/s
CONDITIONS = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * KBIT,
    "uploadThroughput": 400 * KBIT,
}
TARGET_MS = 3000
TARGETED = {"questionnaire step", "profile"}
READY = {  # what must be visible for the page to be usable
    "questionnaire step": "main h1, main form.questionnaire",
    "profile": "main h1, main .ifn-table, main table",
}

_TIMINGS_JS = """async () => { const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const lcp = await new Promise((resolve) => { new PerformanceObserver((list) => { const e = list.getEntries();
    resolve(e.length ? e[e.length - 1].startTime : null); })
    .observe({type: 'largest-contentful-paint', buffered: true});
    setTimeout(() => resolve(null), 1000); });
  return {ttfb: nav.responseStart, fcp: fcp ? fcp.startTime : null, lcp: lcp, dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd}; }"""

_STYLES_READY_JS = """() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet !== null)"""


def measure(browser, base_url: str, state, label: str, path: str) -> dict:
    context = browser.new_context(base_url=base_url, storage_state=state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", CONDITIONS)
    started = time.perf_counter()
    page.goto(path, wait_until="commit", timeout=60_000)
    selectors = READY.get(label, "main h1").split(", ")
    for selector in selectors:
        page.locator(selector).first.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(_STYLES_READY_JS, timeout=60_000)
    usable = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("load", timeout=60_000)
    timings = page.evaluate(_TIMINGS_JS)
    context.close()
    # Usable = the ready elements are visible with their styles AND something has been painted.
    return {**timings, "usable": max(usable, timings["fcp"] or 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running site started by bench/_server.py")
    parser.add_argument("--site-workdir", help="its work folder (SQLite database), needed with --url")
    parser.add_argument("--runs", type=int, default=3, help="cold loads per page type (median reported)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site, own = site_from_args(args, Path(tempfile.mkdtemp(prefix="inclusion_bandwidth_")))
    ok = True
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states, ids = signed_in_states(browser, site)
            print("400 kbit/s down and up, 400 ms latency, cold cache; median of", args.runs, "runs (ms)")
            print(f"{'Page type':20} {'TTFB':>6} {'FCP':>6} {'LCP':>6} {'usable':>7} {'DCL':>6} {'load':>6}  target")
            for label, role, path in PAGES:
                runs = [
                    measure(browser, site.base_url, states[role], label, path.format(**ids)) for _ in range(args.runs)
                ]

                def median(key, runs=runs):
                    values = [r[key] for r in runs if r[key] is not None]
                    return statistics.median(values) if values else float("nan")

                usable = median("usable")
                target = ""
                if label in TARGETED:
                    target = f"≤ {TARGET_MS}" + ("" if usable <= TARGET_MS else "  << OVER")
                    ok &= usable <= TARGET_MS
                print(
                    f"{label:20} {median('ttfb'):6.0f} {median('fcp'):6.0f} {median('lcp'):6.0f} {usable:7.0f} "
                    f"{median('dcl'):6.0f} "
                    f"{median('load'):6.0f}  {target}"
                )
            browser.close()
    finally:
        if own:
            site.stop()
    print("OK" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
