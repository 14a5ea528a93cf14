"""Delete the personal data whose retention delay has passed (docs/personal-data.md). Run daily."""

from django.core.management.base import BaseCommand

from inclusion.legal.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Supprime les données personnelles dont le délai de conservation est dépassé "
        "(réglages INCLUSION_RETENTION_*). À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui serait supprimé, sans rien supprimer.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        results = purge_personal_data(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n'est supprimé.")
        for result in results:
            self.stdout.write(result.summary(dry_run=dry_run))
            if dry_run or verbosity >= 2:
                for item in result.items:
                    self.stdout.write(f"  - {item}")
        total = sum(result.count for result in results)
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Total : {total} suppression{'s' if total > 1 else ''}."))
