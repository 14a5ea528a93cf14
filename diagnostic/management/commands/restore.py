"""`manage.py restore FILE [--database-url URL] [--no-input]`: replace a database's content with a backup's
(see inclusion/backup.py); `make restore FILE=...`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inclusion.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured database, or into --database-url."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--database-url", help="restore into this database instead (e.g. a fresh one)")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive")

    def handle(self, *args, source, database_url=None, interactive=True, **options):
        if not source.is_file():
            raise CommandError(f"{source}: no such backup file")
        target = database_url or "the configured database (DATABASE_URL)"
        if interactive:
            answer = input(f"Replace the content of {target} with {source}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore_database(source, database_url=database_url)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {source} into {target}")
