"""`manage.py build_fixtures --data-dir ../shared/data`: rebuild the embedded fixtures/ folder (see fixtures_build)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territories import fixtures_build
from territories.formatting import decimal, number, plural


class Command(BaseCommand):
    help = (
        "Construit fixtures/ (copie compressée et embarquée des données ouvertes) à partir d'un dossier organisé "
        "comme ../shared/data, avec son PROVENANCE.md. Déterministe : les mêmes fichiers d'entrée donnent des "
        "fichiers identiques octet pour octet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", required=True, help="dossier au format de ../shared/data")
        parser.add_argument("--out", help="dossier de sortie (défaut : fixtures/ à la racine du projet)")
        parser.add_argument(
            "--departements",
            nargs="+",
            default=list(fixtures_build.DEMO_DEPARTEMENTS),
            help="départements dont les contours sont embarqués (défaut : 18 69 84)",
        )
        parser.add_argument(
            "--without", nargs="+", default=[], help="chemins relatifs à ne pas embarquer (ex. un fichier brut)"
        )

    def handle(self, *args, **options):
        out = Path(options["out"]) if options["out"] else Path(settings.BASE_DIR) / "fixtures"
        departements = tuple(sorted({d.strip().upper() for d in options["departements"]}))
        command = f"python manage.py build_fixtures --data-dir {options['data_dir']}"
        if departements != fixtures_build.DEMO_DEPARTEMENTS:
            command += " --departements " + " ".join(departements)
        if options["without"]:
            command += " --without " + " ".join(sorted(options["without"]))
        try:
            result = fixtures_build.build(
                data_dir=Path(options["data_dir"]),
                out_dir=out,
                departements=departements,
                without=tuple(options["without"]),
                command=command,
            )
        except fixtures_build.BuildError as exc:
            raise CommandError(str(exc)) from None
        for built in result.files:
            name = f"{built.path}.gz"
            stored, source = number(round(built.stored_bytes / 1024)), number(round(built.source_bytes / 1024))
            self.stdout.write(f"  {name:<72} {stored:>6} Ko (source {source:>6} Ko)")
        for note in result.skipped:
            self.stdout.write(f"  non embarqué : {note.message()}")
        size = fixtures_build.folder_size(out)
        written = plural(len(result.files), "fichier écrit", "fichiers écrits")
        self.stdout.write(f"{written} dans {out} : {decimal(size / 1024 / 1024, 2)} Mo en tout")
        if size > fixtures_build.MAX_TOTAL_BYTES:
            raise CommandError(
                f"{out} pèse {plural(size, 'octet', 'octets')}, au-delà de la limite de "
                f"{number(fixtures_build.MAX_TOTAL_BYTES)} octets"
            )
