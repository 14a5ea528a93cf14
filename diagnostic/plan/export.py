"""CSV export of the plan: one row per measure, UTF-8 with BOM (Excel), ";" separator, French headers."""

from __future__ import annotations

import csv
import io

from territories.formatting import safe_cell

HEADERS = [
    "Commune",
    "Code INSEE",
    "Année",
    "Statut du diagnostic",
    "N° de mesure",
    "Mesure",
    "Priorité",
    "Confiance",
    "Raisons",
    "Prochaines étapes",
    "Responsable",
    "Échéance",
    "État",
    "Commentaire",
]


def plan_csv(plan) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    diagnostic = plan.diagnostic
    for item in plan.measures:
        action, assessment = item.action, item.assessment
        writer.writerow(
            [
                plan.commune.name,
                plan.commune.insee,
                diagnostic.year,
                diagnostic.get_status_display(),
                item.number,
                item.measure.title,
                assessment.priority_label,
                assessment.confidence_label,
                "\n".join(f"{f.status_label} : {f.text}" for f in assessment.reasons),
                "\n".join(f"{i}. {step.plain}" for i, step in enumerate(item.steps, start=1)),
                safe_cell(action.owner),
                action.target_date.strftime("%d/%m/%Y") if action.target_date else "",
                action.get_status_display(),
                safe_cell(action.comment),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
