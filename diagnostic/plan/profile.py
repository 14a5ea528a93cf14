"""The fragility profile: for each factor of digital exclusion, the territory's side (open data) beside the
commune's local capacity (section scores of the questionnaire), in words and as an accessible SVG bar chart
(the template always shows the table behind it).

The row of section 4 ("Accessibilité des services de la commune") shows the commune's own answers about its
services (no open data describes them); distances to the places offering help have their own row,
"Proximité de l'aide".
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from diagnostic.plan.facts import FRANCE_SERVICES, MEDIATION, NEARBY_MAX_KM, IfnFigure, PlanFacts
from diagnostic.plan.rules import IFN_HIGH, fr, ifn_status, km
from diagnostic.plan.rules.common import ifn_note, plural
from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, QUESTIONS, UNKNOWN_LABEL
from diagnostic.questionnaire.scoring import SectionScore, is_known

# factor key, title, IFN parts (territorial side), questionnaire section (local capacity)
FACTORS = (
    ("equipment", "Équipement", ("poverty",), "equipement"),
    ("connectivity", "Connexion", ("no_thd_coverage", "no_4g_coverage"), "connectivite"),
    ("skills", "Compétences", ("older_65", "low_diploma"), "competences"),
    ("accessibility", "Accessibilité des services de la commune", (), "accessibilite"),
    ("proximity", "Proximité de l'aide", (), None),
)
# Rows without an IFN part: what the chart and the table show instead of a figure out of 10
NO_IFN_LABEL = {"accessibility": "voir le tableau", "proximity": "distance (voir le tableau)"}
CAPACITY_WEAK = 40  # local capacity below this (0–100) is "faible"
CAPACITY_GOOD = 70  # at or above this, "bonne"


@dataclass(frozen=True)
class Factor:
    key: str
    title: str
    figures: tuple[IfnFigure, ...]  # known IFN parts of the territorial side
    missing_parts: tuple[str, ...]  # labels of IFN parts without data
    territory_text: str
    territory_level: float | None  # worst IFN part, 1–10 (None: no IFN figure for this factor)
    capacity: SectionScore | None
    capacity_text: str

    @property
    def capacity_score(self) -> int | None:
        return self.capacity.score if self.capacity else None


def _level_word(value: float, median: float | None) -> str:
    status = ifn_status(IfnFigure("total", value, median))
    return {"need": "élevée", "partial": "au-dessus de la médiane", "met": "modérée"}[status]


def _capacity_text(score: SectionScore | None) -> str:
    if score is None or score.score is None:
        return "Capacité locale inconnue : aucune réponse connue dans cette partie du questionnaire."
    word = "faible" if score.score < CAPACITY_WEAK else ("moyenne" if score.score < CAPACITY_GOOD else "bonne")
    text = f"Capacité locale {word} : {score.score}/100"
    if score.known < score.scored_questions:
        text += f" (sur {plural(score.known, 'réponse connue', 'réponses connues')} parmi {fr(score.scored_questions)})"
    return text + "."


def _own_services_text(facts: PlanFacts) -> str:
    """The commune's own answers of section 4 (no open data describes the commune's services)."""
    bits = []
    for key in ACCESSIBILITY_QUESTIONS:
        question = QUESTIONS[key]
        value = facts.answer(key)
        if value is None:
            shown = "sans réponse"
        elif not is_known(value):
            shown = UNKNOWN_LABEL.lower()
        elif question.kind == NUMBER:
            shown = plural(int(value), "heure") + " par semaine" if question.unit == "heures par semaine" else fr(value)
        elif question.kind == MULTIPLE:
            shown = ", ".join(question.choice_label(v).lower() for v in value)
        else:
            shown = question.choice_label(value).lower()
        bits.append(f"{ACCESSIBILITY_SHORT[key]} : {shown}")
    return "Aucune donnée ouverte sur les services de la commune ; ses réponses : " + " ; ".join(bits) + "."


ACCESSIBILITY_QUESTIONS = (
    "ac_online_procedures",
    "ac_offline_alternative",
    "ac_statement",
    "ac_plain_language",
    "ac_desk_help",
    "ac_phone_hours",
)
ACCESSIBILITY_SHORT = {
    "ac_online_procedures": "démarches en ligne",
    "ac_offline_alternative": "alternative hors ligne pour chacune",
    "ac_statement": "déclaration d'accessibilité du site",
    "ac_plain_language": "formulaires et courriers en langage clair",
    "ac_desk_help": "aide aux démarches en ligne au guichet",
    "ac_phone_hours": "accueil téléphonique",
}


def _proximity_text(facts: PlanFacts) -> str:
    parts = []
    for kind, label in ((MEDIATION, "lieu de médiation"), (FRANCE_SERVICES, "France services")):
        access = facts.access.get(kind)
        if access is None:
            parts.append(f"{label} le plus proche : donnée absente")
        elif access.nearest_km is None:
            parts.append(f"aucun {label} connu à moins de {fr(NEARBY_MAX_KM)} km")
        else:
            parts.append(
                f"{label} le plus proche à {km(access.nearest_km)} ({fr(access.within_10km)} à moins de 10 km)"
            )
    return "Lieux d'aide au numérique autour de la commune : " + " ; ".join(parts) + "."


PROXIMITY_CAPACITY_TEXT = (
    "Pas de score de capacité locale pour ce facteur : les permanences et les lieux de la commune sont dans les "
    "mesures 4 et 5."
)


def fragility_profile(facts: PlanFacts, scores: dict[str, SectionScore]) -> list[Factor]:
    factors = []
    for key, title, parts, section in FACTORS:
        figures = tuple(facts.ifn[p] for p in parts if p in facts.ifn)
        missing = tuple(IfnFigure(p, None).label for p in parts if p not in facts.ifn)
        level = max((f.value for f in figures), default=None)
        if key == "accessibility":
            territory = _own_services_text(facts)
        elif key == "proximity":
            territory = _proximity_text(facts)
        elif not figures:
            territory = "Fragilité du territoire inconnue : " + ", ".join(missing) + " : donnée absente."
        else:
            worst = max(figures, key=lambda f: f.value)
            bits = []
            for f in figures:
                median = f" (médiane du département {fr(f.median)})" if f.median is not None else ""
                scope = ", valeur de l'intercommunalité" if f.scope == "epci" else ""
                bits.append(f"{f.label} {fr(f.value)}/10{median}{scope}")
            territory = f"Fragilité du territoire {_level_word(worst.value, worst.median)} : " + " ; ".join(bits)
            if missing:
                territory += " ; " + ", ".join(missing) + " : donnée absente"
            territory += " " + ifn_note(*figures) + "."
        capacity = scores.get(section) if section else None
        capacity_text = _capacity_text(capacity) if section else PROXIMITY_CAPACITY_TEXT
        factors.append(Factor(key, title, figures, missing, territory, level, capacity, capacity_text))
    return factors


# --- Accessible SVG bar chart ------------------------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 190
BAR_MAX = 330
ROW_HEIGHT = 62


def profile_chart_svg(factors: list[Factor], *, chart_id: str = "profil") -> str:
    """Two bars per factor: territorial fragility (worst IFN part, out of 10) and local capacity (out of 100).
    Each bar carries its value in text, so no information relies on colour alone."""
    height = 40 + ROW_HEIGHT * len(factors)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="profile-chart" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'width="{CHART_WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Profil de fragilité : territoire et capacité locale</title>',
        f'<desc id="{chart_id}-desc">Pour chaque facteur, une barre pour la fragilité du territoire (sur 10, '
        f"plus c'est long plus c'est fragile) et une barre pour la capacité locale (sur 100, plus c'est long "
        f"mieux c'est). Les valeurs sont reprises dans le tableau qui suit.</desc>",
        '<g font-family="DejaVu Sans, Arial, sans-serif" font-size="13">',
        f'<rect x="{LABEL_WIDTH}" y="6" width="14" height="12" fill="#b00020"/>'
        f'<text x="{LABEL_WIDTH + 20}" y="17">Fragilité du territoire (/10)</text>'
        f'<rect x="{LABEL_WIDTH + 230}" y="6" width="14" height="12" fill="#1d4f91"/>'
        f'<text x="{LABEL_WIDTH + 250}" y="17">Capacité locale (/100)</text>',
    ]
    for i, factor in enumerate(factors):
        y = 36 + i * ROW_HEIGHT
        out.append(f'<text x="0" y="{y + 24}" font-weight="bold">{escape(factor.title)}</text>')
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_MAX}" height="20" fill="#eeeef2"/>')
        if factor.territory_level is not None:
            width = round(BAR_MAX * factor.territory_level / 10)
            pattern = "#b00020" if factor.territory_level >= IFN_HIGH else "#d46a7e"
            out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="20" fill="{pattern}"/>')
            label = f"{fr(factor.territory_level)}/10"
        else:
            label = NO_IFN_LABEL.get(factor.key, "donnée absente")
        out.append(f'<text x="{LABEL_WIDTH + BAR_MAX + 8}" y="{y + 15}">{escape(label)}</text>')
        y2 = y + 24
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y2}" width="{BAR_MAX}" height="20" fill="#eeeef2"/>')
        if factor.capacity_score is not None:
            width = round(BAR_MAX * factor.capacity_score / 100)
            out.append(f'<rect x="{LABEL_WIDTH}" y="{y2}" width="{width}" height="20" fill="#1d4f91"/>')
            label = f"{factor.capacity_score}/100"
        else:
            label = "sans objet" if factor.key == "proximity" else "inconnue"
        out.append(f'<text x="{LABEL_WIDTH + BAR_MAX + 8}" y="{y2 + 15}">{escape(label)}</text>')
    out.append("</g></svg>")
    return "".join(out)
