"""Database backups you can restore: pg_dump/pg_restore for PostgreSQL, the SQLite online backup API for SQLite.

`backup_database(output)` writes the configured database to `output` (PostgreSQL: pg_dump custom format; SQLite: a
copy of the database file made with `sqlite3.Connection.backup`, consistent even while the site writes).
`restore_database(source, database_url=None)` replaces the content of the configured database, or of the database
named by `database_url` (for instance a fresh one, to check a backup), with the backup's.

pg_dump refuses a server newer than itself and a dump made by a newer pg_dump cannot be read by an older pg_restore:
`pg_client_problem()` says why the client tools cannot be used with this server (None when they can).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _is_postgresql(database: dict) -> bool:
    return "postgresql" in database["ENGINE"]


def _pg_arguments(database: dict) -> tuple[list[str], dict[str, str]]:
    arguments = []
    if database.get("HOST"):
        arguments += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", str(database["USER"])]
    arguments += ["--dbname", str(database["NAME"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, env


def _client_major(tool: str) -> int | None:
    if shutil.which(tool) is None:
        return None
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def pg_connect(database: dict):
    """A plain psycopg connection (autocommit) to the PostgreSQL database described by a Django settings dict."""
    import psycopg

    try:
        return psycopg.connect(
            dbname=database["NAME"],
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            autocommit=True,
        )
    except psycopg.OperationalError as error:
        raise BackupError(f"cannot connect to {database['NAME']}: {error}") from error


def pg_client_problem(database: dict) -> str | None:
    """Why pg_dump/pg_restore cannot back up this server (missing, or older major version), or None."""
    with pg_connect(database) as connection:
        server_major = connection.info.server_version // 10000
    for tool in ("pg_dump", "pg_restore"):
        client_major = _client_major(tool)
        if client_major is None:
            return f"{tool} is not installed (PostgreSQL client tools {server_major} are needed)"
        if client_major < server_major:
            return (
                f"{tool} {client_major} cannot back up a PostgreSQL {server_major} server "
                f"(install client tools {server_major})"
            )
    return None


def backup_database(output: Path, *, alias: str = "default") -> Path:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    database = connections[alias].settings_dict
    if _is_postgresql(database):
        problem = pg_client_problem(database)
        if problem:
            raise BackupError(problem)
        arguments, env = _pg_arguments(database)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={output}", *arguments], env)
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:  # pragma: no cover - the site runs on PostgreSQL or SQLite
        raise BackupError(f"no backup method for {database['ENGINE']}")
    return output


def restore_database(source: Path, *, database_url: str | None = None, alias: str = "default") -> None:
    source = Path(source)
    magic = source.read_bytes()[:16] if source.is_file() else b""
    if database_url:
        database = {k.upper(): v for k, v in dj_database_url.parse(database_url).items()}
    else:
        database = connections[alias].settings_dict
    if _is_postgresql(database):
        if not magic.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump custom-format backup")
        problem = pg_client_problem(database)
        if problem:
            raise BackupError(problem)
        if not database_url:
            connections[alias].close()
        arguments, env = _pg_arguments(database)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error"]
        _run([*command, "--single-transaction", *arguments, str(source)], env)
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not an SQLite backup")
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if database_url:
                target = sqlite3.connect(database["NAME"])
                try:
                    backup.backup(target)
                finally:
                    target.close()
            else:
                connection = connections[alias]
                connection.ensure_connection()
                backup.backup(connection.connection)
        finally:
            backup.close()
    else:  # pragma: no cover
        raise BackupError(f"no restore method for {database['ENGINE']}")


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")
