"""docs/personal-data.md is the record of processing: every model field that looks personal must have an entry there.

The test introspects every model of the project apps and of django-axes. A field looks personal when its name has a
word such as name, e-mail, address, IP, phone, comment, message, text, body, note, owner, author, username or agent,
when it is an e-mail, IP address, free-text or JSON field, or when it points to a user. The record lists it in a table
as `app.Model.field` (the "Record" table, or "Fields that look personal but are not" with the reason).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from inclusion.legal.retention import RULES

RECORD = Path(__file__).resolve().parents[2] / "docs" / "personal-data.md"
APP_LABELS = ["accounts", "territories", "diagnostic", "legal", "jobs", "axes"]
PERSONAL_WORDS = {
    "name",
    "email",
    "mail",
    "address",
    "adresse",
    "ip",
    "phone",
    "telephone",
    "tel",
    "comment",
    "message",
    "text",
    "body",
    "note",
    "owner",
    "author",
    "username",
    "agent",
    "data",
    "value",
}
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField, models.TextField, models.JSONField)
ENTRY = re.compile(r"`([a-z_]+)\.([A-Z]\w*)\.(\w+)`")


def words(name: str) -> set[str]:
    return set(re.split(r"[_\W]+", name.lower())) | {name.lower()}


def looks_personal(field) -> bool:
    if field.is_relation:
        return field.related_model is not None and field.related_model._meta.label == settings.AUTH_USER_MODEL
    return bool(words(field.name) & PERSONAL_WORDS) or isinstance(field, PERSONAL_TYPES)


def project_fields():
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if getattr(field, "concrete", False):
                    yield label, model, field


def documented_entries() -> set[tuple[str, str, str]]:
    table_lines = [line for line in RECORD.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    return {match.groups() for line in table_lines for match in ENTRY.finditer(line)}


def test_every_personal_looking_field_is_in_the_record():
    entries = documented_entries()
    missing = [
        f"{label}.{model.__name__}.{field.name}"
        for label, model, field in project_fields()
        if looks_personal(field) and (label, model.__name__, field.name) not in entries
    ]
    assert not missing, (
        "These fields look personal but docs/personal-data.md has no entry for them: say where they are read, how "
        f"long they are kept and what deletes them (or why they are not personal): {missing}"
    )


def test_every_record_entry_names_an_existing_field():
    existing = {(label, model.__name__, field.name) for label, model, field in project_fields()}
    stale = sorted(".".join(entry) for entry in documented_entries() - existing)
    assert not stale, f"docs/personal-data.md lists fields that do not exist: {stale}"


def test_the_heuristic_catches_the_known_personal_fields():
    flagged = {f"{lb}.{model.__name__}.{field.name}" for lb, model, field in project_fields() if looks_personal(field)}
    for name in (
        "accounts.User.email",
        "accounts.User.first_name",
        "accounts.Membership.message",
        "diagnostic.AuditEvent.user",
        "diagnostic.MeasureAction.owner",
        "axes.AccessLog.ip_address",
        "axes.AccessAttempt.user_agent",
    ):
        assert name in flagged
    assert "diagnostic.Diagnostic.year" not in flagged and "territories.Commune.population" not in flagged


def test_purge_rules_the_record_the_readme_and_the_settings_agree():
    text = RECORD.read_text(encoding="utf-8")
    readme = (RECORD.parents[1] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE))
    assert documented == {rule.key for rule in RULES} == set(settings.INCLUSION_RETENTION_VARIABLES)
    for rule in RULES:
        variable, default = settings.INCLUSION_RETENTION_VARIABLES[rule.key]
        row = next(line for line in text.splitlines() if line.startswith(f"| `{rule.key}` |"))
        assert row.endswith(f"| `{variable}` | {default} |"), f"{rule.key}: the record's setting or default differs"
        assert f"| `{variable}` | `{default}` |" in readme, f"{variable}: missing or different in the README table"
