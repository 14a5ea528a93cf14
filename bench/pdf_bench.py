"""Time and size of the plan PDF for Boulleret (18032) and Lyon (69123, the largest commune of the demo
départements 18/69/84). Targets: ≤ 1.5 s and ≤ 1 MB each, rendered in the request.

Usage (needs the open data of 18 and 69 loaded in the configured database, `make data`):

    DEBUG=1 .venv/bin/python bench/pdf_bench.py [--runs 5] [--keep DIR]

For each commune the bench uses the commune's diagnostic of the current year if there is one (seed_demo), otherwise
it creates a made-up one (demo answers) inside a transaction that is rolled back at the end: the database is left as
it was. One warm-up render (fonts, templates), then `--runs` timed renders of the full request path (build_plan +
WeasyPrint). Wall-clock time is the target; the CPU time of the process is printed beside it because wall-clock time
is meaningless on a busy machine. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")

TARGET_SECONDS = 1.5
TARGET_BYTES = 1024 * 1024
COMMUNES = (("18032", "Boulleret"), ("69123", "Lyon"))

# MADE-UP answers for a bench diagnostic (only used when the commune has no diagnostic).
BENCH_ANSWERS = {
    "eq_public_computers": 1,
    "eq_loan_refurbished": "none",
    "co_fixed_gaps": "some",
    "sk_trained_agents": 0,
    "sk_aidants_connect": "no",
    "sk_conseiller_numerique": "visits",
    "sk_drop_in": "none",
    "sk_referral": "unknown",
    "ac_desk_help": "yes",
    "st_hub_contact": "no",
    "st_fne_roadmap": "not_aware",
    "st_partners": ["library", "france_services"],
    "st_budget": "no",
    "st_referent": "yes",
}


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="write the PDFs into this folder")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from pypdf import PdfReader

    from diagnostic.models import Answer, Diagnostic
    from diagnostic.plan.pdf import render_plan_pdf
    from diagnostic.plan.selectors import build_plan
    from diagnostic.plan.services import refresh_plan
    from diagnostic.questionnaire.definition import VERSION
    from territories.models import Commune

    missing = [insee for insee, _ in COMMUNES if not Commune.objects.filter(insee=insee).exists()]
    if missing:
        print(f"Communes absentes de la base : {', '.join(missing)}. Chargez les données : make data", file=sys.stderr)
        return 2

    ok = True
    print(f"{'commune':<12} {'médiane (s)':>11} {'max (s)':>8} {'CPU (s)':>8} {'taille (Ko)':>11} {'pages':>6}  cible")
    try:
        with transaction.atomic():
            for insee, name in COMMUNES:
                diagnostic = Diagnostic.objects.filter(commune_id=insee).order_by("-year").first()
                if diagnostic is None:
                    diagnostic = Diagnostic.objects.create(
                        commune_id=insee, year=timezone.localdate().year, questionnaire_version=VERSION, is_demo=True
                    )
                    Answer.objects.bulk_create(
                        Answer(diagnostic=diagnostic, question=k, value=v) for k, v in BENCH_ANSWERS.items()
                    )
                    refresh_plan(diagnostic=diagnostic)
                render_plan_pdf(build_plan(diagnostic))  # warm-up
                times, cpu, pdf = [], [], b""
                for _ in range(args.runs):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    pdf = render_plan_pdf(build_plan(diagnostic))
                    times.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - start_cpu)
                median, worst, median_cpu = statistics.median(times), max(times), statistics.median(cpu)
                pages = len(PdfReader(io.BytesIO(pdf)).pages)
                met = median <= TARGET_SECONDS and len(pdf) <= TARGET_BYTES
                ok &= met
                print(
                    f"{name:<12} {median:>11.2f} {worst:>8.2f} {median_cpu:>8.2f} {len(pdf) / 1024:>11.0f} {pages:>6}  "
                    f"{'OK' if met else 'DÉPASSÉE'} (≤ {TARGET_SECONDS} s, ≤ {TARGET_BYTES // 1024} Ko)"
                )
                if args.keep:
                    Path(args.keep).mkdir(parents=True, exist_ok=True)
                    (Path(args.keep) / f"plan-{insee}.pdf").write_bytes(pdf)
            raise Rollback
    except Rollback:
        pass
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
