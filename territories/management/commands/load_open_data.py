"""Load the official open data: communes, EPCI, contours, IFN, places of digital help, hubs, access figures.

    python manage.py load_open_data --departements 18 69 84 [--data-dir DIR | --download]
    python manage.py load_open_data --all
    python manage.py load_open_data --all --dry-run   # read and check everything, print what would change

Without --data-dir (and without INCLUSION_DATA_DIR) the embedded copy fixtures/ is read (files stored .gz). With
--download (or --mirror) the official files are downloaded into INCLUSION_DOWNLOAD_DIR (var/opendata/), same layout.
A malformed file stops everything with file/line/column, database unchanged.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territories import datafiles, downloads, opendata
from territories.formatting import decimal, plural
from territories.importers import SelectionError, load_open_data
from territories.importers.base import FileFormatError

UNCHANGED = "Rien n'a été enregistré : la base de données est inchangée."
NOTHING_CHANGED = "Aucun changement : la base de données correspondait déjà à ces fichiers."


def offline(exc: Exception) -> str:
    return (
        f"Aucun dossier de données, et le téléchargement a échoué ({exc}). Pas de connexion ? Indiquez un dossier "
        "organisé comme ../shared/data avec --data-dir ou INCLUSION_DATA_DIR."
    )


class Command(BaseCommand):
    help = "Charge les données ouvertes (communes, IFN, lieux, hubs) pour des départements ou toute la France."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "--departements",
            nargs="+",
            metavar="CODE",
            help="contours de ces départements seulement, ex. 18 69 84 (2A, 2B, 971…) ; communes, IFN et lieux : "
            "toujours toute la France",
        )
        target.add_argument("--all", action="store_true", help="toute la France, contours compris")
        parser.add_argument(
            "--data-dir",
            help="dossier au format de ../shared/data (défaut : $INCLUSION_DATA_DIR ; sinon fixtures/, la copie "
            "embarquée)",
        )
        parser.add_argument(
            "--download",
            action="store_true",
            help="sans dossier : télécharger les fichiers officiels dans var/opendata/ au lieu de lire fixtures/",
        )
        parser.add_argument(
            "--mirror", help="URL d'un miroir du dossier de données (défaut : INCLUSION_OPENDATA_MIRROR)"
        )
        parser.add_argument(
            "--ifn",
            action="append",
            metavar="FICHIER",
            help="avec --download : fichier IFN (communes ou EPCI) au format du dossier de données, l'IFN n'ayant "
            "pas de fichier ouvert à télécharger",
        )
        parser.add_argument("--refresh", action="store_true", help="retélécharger les fichiers déjà présents")
        parser.add_argument("--no-progress", action="store_true", help="pas de barre de progression")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="lire et vérifier les fichiers, afficher ce qui changerait par table, ne rien écrire",
        )

    def handle(self, *args, **options):
        departements = None
        if not options["all"]:
            departements = {code.strip().upper() for code in options["departements"]}
        data_dir = options["data_dir"] or settings.INCLUSION_DATA_DIR
        download = options["download"] or bool(options["mirror"] or opendata.mirror_base())
        if options["ifn"] and (data_dir or not download):
            raise CommandError("--ifn va avec --download : il place le fichier IFN parmi les fichiers téléchargés.")
        if data_dir:
            data_dir = Path(data_dir)
            if not data_dir.is_dir():
                raise CommandError(f"Dossier de données introuvable : {data_dir}")
        elif not download:
            data_dir = datafiles.embedded_dir()
            self.stdout.write(
                f"Aucun dossier de données indiqué : lecture de la copie embarquée {data_dir} (voir son "
                "PROVENANCE.md ; --download télécharge plutôt les fichiers officiels)"
            )
        else:
            data_dir = Path(settings.INCLUSION_DOWNLOAD_DIR)
            self.stdout.write(
                f"Aucun dossier de données indiqué : téléchargement des fichiers officiels dans {data_dir}"
            )
            deps = sorted(departements) if departements else None
            if deps is None:
                deps = self._all_departements(data_dir, options["mirror"])
            placed = []
            try:
                for ifn_file in options["ifn"] or []:
                    placed.append(downloads.place_ifn(Path(ifn_file), data_dir))
                    self.stdout.write(f"IFN : {ifn_file} placé sous {placed[-1]}")
                done, skipped = opendata.download(
                    opendata.files_to_download(deps),
                    data_dir,
                    mirror=options["mirror"],
                    refresh=options["refresh"],
                    departements=deps,
                )
            except opendata.DownloadError as exc:
                raise CommandError(offline(exc)) from None
            except FileFormatError as exc:  # an official file whose format changed: nothing loaded
                raise CommandError(f"{exc}\n{UNCHANGED}") from None
            self.stdout.write(f"{plural(len(done), 'fichier prêt', 'fichiers prêts')} dans {data_dir}")
            skipped = [note for note in skipped if not note.startswith(tuple(f"{rel} :" for rel in placed))]
            if skipped:
                self.stdout.write("Non obtenus (l'import se poursuit sans eux) :")
            for note in skipped:
                self.stdout.write(f"  {note}")
        try:
            result = load_open_data(
                data_dir=data_dir,
                departements=departements,
                echo=self.stdout.write,
                quiet=True if options["no_progress"] else None,  # None: bar only on a terminal
                dry_run=options["dry_run"],
            )
        except FileFormatError as exc:
            raise CommandError(f"{exc}\n{UNCHANGED}") from None
        except SelectionError as exc:
            raise CommandError(str(exc)) from None
        for stage, seconds in result["timings"].items():
            self.stdout.write(f"  {decimal(seconds, 2):>6} s  {stage}")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Essai à blanc : rien n'a été enregistré."))
        elif result["changed"]:  # the "data changed" hooks have run (territories.hooks)
            self.stdout.write(self.style.SUCCESS("Données ouvertes chargées."))
        else:
            self.stdout.write(self.style.SUCCESS(NOTHING_CHANGED))

    def _all_departements(self, data_dir: Path, mirror: str | None) -> list[str]:
        """For --all downloads: read the département list first (it names the contour files to fetch)."""
        import json

        rel = opendata.MANIFEST["cog-departements"].path
        try:
            opendata.download([rel], data_dir, mirror=mirror)
        except opendata.DownloadError as exc:
            raise CommandError(offline(exc)) from None
        return [d["code"] for d in json.loads((data_dir / rel).read_text(encoding="utf-8"))]
