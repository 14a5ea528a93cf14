"""Lighthouse mobile scores (performance, accessibility) of the main page types, on a site loaded with all of France.

    cd /tmp/lh && PUPPETEER_SKIP_DOWNLOAD=1 npm i -E lighthouse@12.2.3        # once, outside the repository
    LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse .venv/bin/python bench/lighthouse_bench.py
    .venv/bin/python bench/lighthouse_bench.py --runs 3 --departements 18 69 84     # smaller site, median of 3 runs
    .venv/bin/python bench/lighthouse_bench.py --url http://127.0.0.1:PORT --site-workdir /tmp/site   # reuse one

Starts its own site like the other page benches (bench/_server.py: production settings, gunicorn, national data by
default), signs in MADE-UP accounts (an agent with a diagnostic, a coordinator), then runs Lighthouse 12.2.3 with its
default mobile profile (emulated Moto G Power, simulated slow 4G and 4× CPU slowdown) and Debian's Chromium
(`CHROME_PATH`, default /usr/bin/chromium) on each page type; signed-in pages get the session cookie as a header.
Prints, per page: performance and accessibility scores, first contentful paint, largest contentful paint, total
blocking time, layout shift and bytes; the failing accessibility audits when the score is below 100.
Targets: performance ≥ 95 and accessibility 100 on every page. With --runs N the median performance run is kept
(Lighthouse's own advice: scores vary between runs on a shared machine). Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pages import CHROMIUM, CHROMIUM_ARGS, PAGES, departements_arg, signed_in_states, site_from_args  # noqa: E402

TARGET_PERFORMANCE = 95
TARGET_ACCESSIBILITY = 100
# The seven page types of issue G's budget, plus search and sign-in.
MEASURED = ["home", "profile", "map", "région map", "questionnaire step", "plan", "dashboard", "search", "login"]


def lighthouse_binary(explicit: str | None) -> str:
    candidates = [
        explicit,
        os.environ.get("LIGHTHOUSE"),
        shutil.which("lighthouse"),
        "/tmp/lh/node_modules/.bin/lighthouse",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(
        "Lighthouse not found: `cd /tmp/lh && PUPPETEER_SKIP_DOWNLOAD=1 npm i -E lighthouse@12.2.3`, "
        "then LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse"
    )


def run_lighthouse(binary: str, url: str, cookie: str | None, workdir: Path, name: str) -> dict:
    output = workdir / f"{name}.json"
    command = [
        binary,
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
    ]
    if cookie:
        headers = workdir / f"{name}-headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        command.append(f"--extra-headers={headers}")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", CHROMIUM))
    for attempt in range(3):
        output.unlink(missing_ok=True)
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        # On a loaded machine Lighthouse sometimes loses the trace (NO_NAVSTART, NO_FCP): it says to run it again.
        if (result.returncode == 0 and output.exists()) or "Please run Lighthouse again" not in result.stderr:
            break
        print(f"  (lighthouse lost the trace of {url}, attempt {attempt + 1}: running it again)", file=sys.stderr)
    if result.returncode != 0 or not output.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
    report = json.loads(output.read_text())
    audits = report["audits"]
    failing = [
        f"{audit_id} ({audits[audit_id]['title']})"
        for ref in report["categories"]["accessibility"]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"]) in audits
        and audits[audit_id]["score"] is not None
        and audits[audit_id]["score"] < 1
    ]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "failing": failing,
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl", url),
    }


def cookie_header(state) -> str | None:
    if not state:
        return None
    return "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in state["cookies"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running site started by bench/_server.py")
    parser.add_argument("--site-workdir", help="its work folder (SQLite database), needed with --url")
    parser.add_argument("--departements", nargs="*", help="départements to load (own site; default all; AURA = its 12)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (the median is kept)")
    parser.add_argument("--lighthouse", help="path of the lighthouse binary (else $LIGHTHOUSE, PATH, /tmp/lh)")
    parser.add_argument("--pages", nargs="*", help="page types to measure (default: all of them)")
    args = parser.parse_args()
    args.departements = departements_arg(args.departements)
    binary = lighthouse_binary(args.lighthouse)
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="inclusion_lighthouse_"))
    site, own = site_from_args(args, workdir / "site")
    ok = True
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states, ids = signed_in_states(browser, site)
            browser.close()
        wanted = args.pages or MEASURED
        print(f"Lighthouse {binary}, mobile profile, {args.runs} run(s) per page, site {site.base_url}")
        print(f"{'Page type':20} {'perf':>5} {'a11y':>5} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'KB':>7}")
        for label, role, path in PAGES:
            if label not in wanted:
                continue
            url = site.base_url + path.format(**ids)
            runs = [
                run_lighthouse(binary, url, cookie_header(states[role]), workdir, f"{label.replace(' ', '-')}-{n}")
                for n in range(args.runs)
            ]
            median = statistics.median_low([r["performance"] for r in runs])
            result = next(r for r in runs if r["performance"] == median)
            good = result["performance"] >= TARGET_PERFORMANCE and result["accessibility"] >= TARGET_ACCESSIBILITY
            if not result["final_url"].startswith(url.split("?")[0]):
                good = False
                print(f"{label:20} redirected to {result['final_url']}: not measured")
                continue
            ok &= good
            print(
                f"{label:20} {result['performance']:5d} {result['accessibility']:5d} {result['fcp']:6.2f} "
                f"{result['lcp']:6.2f} {result['tbt']:7.0f} {result['cls']:6.3f} {result['kb']:7.1f}"
                + ("" if good else "  << BELOW TARGET")
                + (f"   (runs: {', '.join(str(r['performance']) for r in runs)})" if args.runs > 1 else "")
            )
            for failing in result["failing"]:
                print(f"{'':20}   accessibility: {failing}")
    finally:
        if own:
            site.stop()
    load = os.getloadavg()
    print(
        f"machine load average: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {os.cpu_count()} CPUs; reports in {workdir}"
    )
    print(f"targets: performance ≥ {TARGET_PERFORMANCE}, accessibility {TARGET_ACCESSIBILITY}")
    print("OK" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
