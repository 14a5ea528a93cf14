"""A commune's yearly self-assessment, its answers, its action plan and the audit trail."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from diagnostic import enums


class Diagnostic(models.Model):
    Status = enums.DiagnosticStatus  # the vocabulary lives in diagnostic/enums.py

    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="diagnostics")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    questionnaire_version = models.CharField(max_length=20)
    # Optimistic lock: incremented at every write of an answer; a form posts the version it was read at.
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)  # created by seed_demo: labelled as a demonstration
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Opt-in publication of the plan at a public URL (/plans/<insee>/<year>/) by an agent of the commune; None =
    # not published. Who published it is in the AuditEvent rows (target=publication), never on the public page.
    published_at = models.DateTimeField("plan publié le", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="one_diagnostic_per_year")]
        ordering = ["-year"]

    def __str__(self):
        return f"Diagnostic {self.year} — {self.commune}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Answer(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=60)  # key of the question in the questionnaire definition
    value = models.JSONField(null=True, blank=True)  # "yes" / "no" / "unknown", a choice, a list, a number
    comment = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["diagnostic", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.question} = {self.value!r}"


class MeasureAction(models.Model):
    """The commune's follow-up of one of the five measures of its plan."""

    Priority = enums.Priority
    Status = enums.ActionStatus

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="measures")
    measure = models.PositiveSmallIntegerField()  # 1..5, the webinar's measures
    # Cached result of the plan rules (recomputed when answers or data change), for dashboards.
    priority = models.CharField(max_length=6, choices=Priority.choices, blank=True)
    owner = models.CharField("responsable", max_length=200, blank=True)
    target_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField("état", max_length=12, choices=Status.choices, default=Status.TODO)
    comment = models.TextField("commentaire", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["diagnostic", "measure"], name="one_action_per_measure")]
        ordering = ["measure"]

    def __str__(self):
        return f"Mesure {self.measure} — {self.get_status_display()}"


class ReviewComment(models.Model):
    """A Hub coordinator's review comment, shown to the commune's agents on their plan."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField("commentaire")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Commentaire de {self.author} ({self.created_at:%d/%m/%Y})"


class AuditEvent(models.Model):
    """Who changed which answer or measure of a diagnostic, and when."""

    class Target(models.TextChoices):
        ANSWER = "answer", "Réponse"
        MEASURE = "measure", "Mesure"
        STATUS = "status", "Statut du diagnostic"
        PUBLICATION = "plan", "Publication du plan"

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="audit_events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    target = models.CharField(max_length=10, choices=Target.choices)
    key = models.CharField(max_length=80)  # question key, "measure-3.status", "submitted", "plan.published"
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)  # diagnostic/measure version after the change
    # The questionnaire page (one per opened tab) whose save wrote this change: a page never conflicts with its own
    # autosaves, but does with another tab of the same user (see diagnostic.questionnaire.services).
    page_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["diagnostic", "version"])]

    def __str__(self):
        return f"{self.key}: {self.old_value!r} → {self.new_value!r}"
