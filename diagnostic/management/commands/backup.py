"""`manage.py backup [--output FILE]`: back up the configured database (see inclusion/backup.py); `make backup`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from inclusion.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the database: pg_dump (custom format) for PostgreSQL, the SQLite backup API for SQLite."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="backup file (default: var/backups/inclusion-<date>.<ext>)")

    def handle(self, *args, output=None, **options):
        if output is None:
            extension = "dump" if connection.vendor == "postgresql" else "sqlite3"
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"inclusion-{stamp}.{extension}"
        try:
            path = backup_database(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size} bytes)")
