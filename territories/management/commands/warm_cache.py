"""`manage.py warm_cache [--departements 18 69]`: fill the shared cache (maps, medians) after an import or at start."""

from django.core.management.base import BaseCommand

from territories.formatting import decimal, plural
from territories.warm import warm_caches


class Command(BaseCommand):
    help = "Calcule à l'avance les cartes et les médianes de chaque département et région (cache partagé)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements", nargs="*", help="départements et leurs régions (par défaut : tous ceux chargés)"
        )

    def handle(self, *args, **options):
        summary = warm_caches(options["departements"] or None)
        deps = plural(summary.departements, "département", "départements")
        regions = plural(summary.regions, "région", "régions")
        drawn = plural(summary.maps, "carte", "cartes")
        seconds = decimal(summary.seconds)
        self.stdout.write(f"Cache prêt : {deps}, {regions}, {drawn} en {seconds} s")
