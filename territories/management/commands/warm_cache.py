"""`manage.py warm_cache [--departements 18 69]`: fill the shared cache (maps, medians) after an import or at start."""

from django.core.management.base import BaseCommand

from territories.warm import warm_caches


class Command(BaseCommand):
    help = "Calcule à l'avance les cartes et les médianes de chaque département et région (cache partagé)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements", nargs="*", help="départements et leurs régions (par défaut : tous ceux chargés)"
        )

    def handle(self, *args, **options):
        summary = warm_caches(options["departements"] or None)
        deps = f"{summary.departements} département{'s' if summary.departements > 1 else ''}"
        regions = f"{summary.regions} région{'s' if summary.regions > 1 else ''}"
        drawn = f"{summary.maps} carte{'s' if summary.maps > 1 else ''}"
        seconds = f"{summary.seconds:.1f}".replace(".", ",")
        self.stdout.write(f"Cache prêt : {deps}, {regions}, {drawn} en {seconds} s")
