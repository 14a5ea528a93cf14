"""The diagnostic's vocabulary, defined once: every other module imports these names.

Database values never change here (they are stored in `Diagnostic.status`, `MeasureAction.priority` and
`MeasureAction.status`); only the French labels are shown. The five measures themselves (number and titles) live in
`diagnostic/measures.py`.
"""

from django.db import models


class DiagnosticStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Transmis"


# A commune with no diagnostic for the year (dashboards): not a status of the model, but shown beside them.
NO_DIAGNOSTIC_LABEL = "Pas de diagnostic"


class Priority(models.TextChoices):
    """Priority of a measure in the action plan (computed by `diagnostic.plan.rules`, cached on MeasureAction)."""

    HIGH = "high", "Haute"
    MEDIUM = "medium", "Moyenne"
    LOW = "low", "Basse"


class ActionStatus(models.TextChoices):
    """The commune's follow-up of a measure of its plan."""

    TODO = "todo", "À faire"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Fait"


class RuleStatus(models.TextChoices):
    """What a plan rule finds (see `diagnostic.plan.rules`): NEED, PARTIAL and MET earn points; UNKNOWN (the answer
    is "Je ne sais pas" or missing) and MISSING (the open-data figure is absent) are left out of the score."""

    NEED = "need", "besoin"
    PARTIAL = "partial", "besoin partiel"
    MET = "met", "acquis"
    UNKNOWN = "unknown", "réponse inconnue"
    MISSING = "missing", "donnée absente"


class Confidence(models.TextChoices):
    """Confidence of a measure's priority: the share of its rules that could be evaluated."""

    GOOD = "good", "bonne"
    FAIR = "fair", "moyenne"
    LOW = "low", "faible"
