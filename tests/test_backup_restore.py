"""Backups you can restore (issue I, "What to build" 7): `manage.py backup` then `manage.py restore` into a FRESH
database gives back the same users, memberships, diagnostics, answers, plans, review comments and audit events; in
fact every table, row for row.

SQLite: the backup API, restored into a new file. PostgreSQL: pg_dump/pg_restore, restored into a new database named
after the test database with "_restore" (dropped afterwards); skipped with the reason when the client tools are
missing or older than the server, except in CI where that fails. Data: the MADE-UP dataset of
tests/test_url_permissions.py plus answers, a plan, a review and audit events, all invented.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from inclusion.backup import pg_client_problem, pg_connect
from tests.test_url_permissions import build_dataset

KEY_TABLES = [
    "accounts_user",
    "accounts_membership",
    "diagnostic_diagnostic",
    "diagnostic_answer",
    "diagnostic_measureaction",
    "diagnostic_reviewcomment",
    "diagnostic_auditevent",
]


def make_history(data: dict) -> None:
    from diagnostic.models import Answer, AuditEvent, MeasureAction, ReviewComment

    diagnostic, agent = data["diagnostic_a"], data["users"]["agent"]
    Answer.objects.create(
        diagnostic=diagnostic, question="q-oui-non", value="yes", comment="Réponse inventée", updated_by=agent
    )
    Answer.objects.create(diagnostic=diagnostic, question="q-multiple", value=["a", "b"], updated_by=agent)
    Answer.objects.create(diagnostic=diagnostic, question="q-nombre", value=12, comment="Élu « référent »")
    for measure in range(1, 6):
        MeasureAction.objects.create(
            diagnostic=diagnostic,
            measure=measure,
            priority="high" if measure == 1 else "low",
            owner="Secrétariat de mairie" if measure == 2 else "",
            target_date=datetime.date(2027, 6, 30) if measure == 2 else None,
        )
    ReviewComment.objects.create(diagnostic=diagnostic, author=data["users"]["coordinator"], body="Avis inventé.")
    AuditEvent.objects.create(
        diagnostic=diagnostic, user=agent, target="answer", key="q-oui-non", new_value="yes", version=2
    )
    AuditEvent.objects.create(
        diagnostic=diagnostic,
        user=agent,
        target="measure",
        key="measure-2.owner",
        old_value="",
        new_value="Secrétariat",
        version=2,
    )


def all_rows(raw, tables: list[str]) -> dict[str, list[str]]:
    rows = {}
    for table in tables:
        cursor = raw.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from introspection
        rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def check_identical(source_raw, restored_raw) -> None:
    tables = sorted(connection.introspection.table_names())
    before, after = all_rows(source_raw, tables), all_rows(restored_raw, tables)
    for table in KEY_TABLES:
        assert before[table], f"{table} is empty: the test would prove nothing"
    differences = [table for table in tables if before[table] != after[table]]
    assert not differences, f"tables that differ after restore: {differences}"


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_identical(tmp_path):
    make_history(build_dataset())
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        backup = tmp_path / "inclusion.sqlite3"
        call_command("backup", output=backup)
        fresh = tmp_path / "fresh.sqlite3"
        call_command("restore", backup, database_url=f"sqlite:///{fresh}", interactive=False)
        import sqlite3

        # Plain connections on both sides (Django's own converts dates), the source being the in-memory test database.
        source, restored = sqlite3.connect(database["NAME"], uri=True), sqlite3.connect(fresh)
        try:
            check_identical(source, restored)
        finally:
            source.close()
            restored.close()
        return

    problem = pg_client_problem(database)
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    backup = tmp_path / "inclusion.dump"
    call_command("backup", output=backup)
    assert backup.read_bytes().startswith(b"PGDMP")
    fresh_name = f"{database['NAME']}_restore"
    with pg_connect(database) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
        admin.execute(f'CREATE DATABASE "{fresh_name}"')
    try:
        user = database.get("USER") or ""
        password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
        host = database.get("HOST") or "127.0.0.1"
        port = database.get("PORT") or 5432
        url = f"postgres://{user}{password}@{host}:{port}/{fresh_name}"
        call_command("restore", backup, database_url=url, interactive=False)
        with pg_connect(database) as source, pg_connect({**database, "NAME": fresh_name}) as restored:
            check_identical(source, restored)
    finally:
        with pg_connect(database) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "not-a-backup.dump"
    bogus.write_text("made-up text, not a backup", encoding="utf-8")
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", bogus, database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", interactive=False)
