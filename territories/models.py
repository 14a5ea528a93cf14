"""Territorial reference data loaded from official open data files.

Every value keeps its source (DataSource: producer, licence, vintage, file) so that each figure shown can say
where it comes from. Geometries are stored as simplified GeoJSON text: spatial work happens at import time.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.utils import timezone

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
VINTAGE_RE = re.compile(r"(?:(" + "|".join(MONTHS) + r")\s+)?((?:19|20)\d\d)(?!.*(?:19|20)\d\d)", re.IGNORECASE)
STALE_AFTER_MONTHS = 18


class DataSource(models.Model):
    """One imported file of an official dataset, with its provenance."""

    key = models.SlugField(max_length=80, unique=True)  # e.g. "cog-communes", "ifn-communes"
    name = models.CharField(max_length=200)  # "Découpage administratif (communes)"
    producer = models.CharField(max_length=200)  # "INSEE, DGCL, La Poste via Etalab"
    licence = models.CharField(max_length=120, blank=True)
    url = models.URLField(max_length=500, blank=True)
    vintage = models.CharField(max_length=60)  # "COG 2026, population 2023"
    file_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.vintage})"

    @property
    def citation(self) -> str:
        return f"Source : {self.producer}, {self.name}, {self.vintage}"

    @property
    def vintage_month(self) -> tuple[int, int] | None:
        """(year, month) of the most recent date the vintage names ("février 2023" -> (2023, 2); "2021–2022" ->
        (2022, 12): a year alone counts as its last month)."""
        found = VINTAGE_RE.search(self.vintage or "")
        if not found:
            return None
        month = MONTHS.index(found.group(1).lower()) + 1 if found.group(1) else 12
        return int(found.group(2)), month

    def age_months(self, today: dt.date | None = None) -> int | None:
        vintage = self.vintage_month
        if vintage is None:
            return None
        today = today or timezone.localdate()
        return (today.year - vintage[0]) * 12 + today.month - vintage[1]

    @property
    def age_warning(self) -> str:
        """For a list older than 18 months: "liste de février 2023, plus de 18 mois : à vérifier auprès de …"."""
        age = self.age_months()
        if age is None or age <= STALE_AFTER_MONTHS:
            return ""
        return (
            f"liste de {self.vintage}, plus de {STALE_AFTER_MONTHS} mois : à vérifier auprès du Hub territorial "
            f"ou du producteur, {self.producer}"
        )


class Region(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=120)
    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self):
        return self.name


class Hub(models.Model):
    """A territorial Hub for inclusive digital (one per région)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    url = models.URLField(blank=True)
    regions = models.ManyToManyField(Region, related_name="hubs", blank=True)
    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.SET_NULL, related_name="departements")
    geometry = models.TextField(blank=True)  # simplified GeoJSON geometry
    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    siren = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, blank=True)  # CA, CC, CU, METRO, MET69
    population = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"

    def __str__(self):
        return self.name


class Commune(models.Model):
    insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField(max_length=200)
    # lower-case, accents and punctuation stripped, single spaces: "saint etienne"
    search_name = models.CharField(max_length=200, db_index=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes")
    population = models.PositiveIntegerField(null=True, blank=True)  # population municipale
    postcodes = models.CharField(max_length=200, blank=True)  # "18240|18300"
    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    geometry = models.TextField(blank=True)  # simplified GeoJSON geometry, coordinates rounded
    geometry_source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    # True when the contour is not the source's own feature for this code but the union of its former communes'
    # contours (commune nouvelle created after the contours' vintage); contour_note says how, or why there is none.
    contour_derived = models.BooleanField(default=False)
    contour_note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee})"

    @property
    def postcode_list(self) -> list[str]:
        return [p for p in self.postcodes.split("|") if p]


class IfnFields(models.Model):
    """The five parts of La Mednum's Indice de Fragilité Numérique (1–10, 10 = most fragile) and the total."""

    class Status(models.TextChoices):
        MEASURED = "measured", "Publié"
        DERIVED = "derived", "Calculé à partir des parties"
        MISSING = "missing", "Absent"

    no_thd_coverage = models.FloatField(null=True, blank=True)
    no_4g_coverage = models.FloatField(null=True, blank=True)
    poverty = models.FloatField(null=True, blank=True)
    older_65 = models.FloatField(null=True, blank=True)
    low_diploma = models.FloatField(null=True, blank=True)
    total = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MEASURED)
    note = models.TextField(blank=True)  # how a derived value was computed, or why it is missing
    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    PARTS = ["no_thd_coverage", "no_4g_coverage", "poverty", "older_65", "low_diploma"]

    class Meta:
        abstract = True


class CommuneIfn(IfnFields):
    commune = models.OneToOneField(Commune, primary_key=True, on_delete=models.CASCADE, related_name="ifn")

    class Meta:
        verbose_name = "IFN d'une commune"

    def __str__(self):
        return f"IFN {self.commune_id}: {self.total}"


class EpciIfn(IfnFields):
    epci = models.OneToOneField(Epci, primary_key=True, on_delete=models.CASCADE, related_name="ifn")

    class Meta:
        verbose_name = "IFN d'un EPCI"

    def __str__(self):
        return f"IFN {self.epci_id}: {self.total}"


class Place(models.Model):
    """A place that offers digital help."""

    class Kind(models.TextChoices):
        FRANCE_SERVICES = "france_services", "France services"
        AIDANTS_CONNECT = "aidants_connect", "Structure Aidants Connect"
        MEDIATION = "mediation", "Lieu de médiation numérique"

    class Location(models.TextChoices):
        EXACT = "exact", "Adresse géolocalisée"
        APPROXIMATE = "approximate", "Approximative (centre de la commune)"
        NONE = "none", "Non localisé"

    class AddressCheck(models.TextChoices):
        CORRECTED = "corrected", "Adresse corrigée d'après le code officiel géographique"
        FLAGGED = "flagged", "Code postal et commune incohérents, à vérifier"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="places")
    source_ref = models.CharField(max_length=120)  # identifier inside the source file
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=200, blank=True)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="places")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=12, choices=Location.choices, default=Location.EXACT)
    phone = models.CharField(max_length=60, blank=True)
    email = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=500, blank=True)
    services = models.TextField(blank=True)
    hours = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)  # kind-specific extras (e.g. number of aidants)
    updated_on = models.DateField(null=True, blank=True)  # date of the record in its source
    # Set by the import's address check (importers/addresses.py): a postcode or town corrected from the COG, or a
    # disagreement it could not settle (flagged: left out of plans and access figures).
    address_check = models.CharField(max_length=10, choices=AddressCheck.choices, blank=True)
    address_note = models.CharField(max_length=300, blank=True)
    # Set by the import's site merge (importers/dedupe.py): records of one real site across sources point at the
    # site's main record; the main record holds every kind of the site, its pre-2020 label flag and its conseillers.
    same_site_as = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="same_site_records"
    )
    kinds = models.CharField(max_length=80, blank=True)  # "france_services|aidants_connect": every kind of the site
    old_label = models.BooleanField(default=False)  # MSAP/RSP label not matched to a France services record
    conseillers = models.PositiveSmallIntegerField(null=True, blank=True)  # conseillers numériques hosted here

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_ref"], name="unique_place_per_source")]
        indexes = [models.Index(fields=["kind", "commune"])]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def site_kinds(self) -> list[str]:
        """Every kind of the site this record stands for (its own when it was merged with nothing)."""
        return [k for k in self.kinds.split("|") if k] or [self.kind]

    @property
    def offers(self) -> list[str]:
        """What the site offers, in words: its labels and programmes ("France services", "Aidants Connect", ...)."""
        words = {
            self.Kind.FRANCE_SERVICES: "France services",
            self.Kind.AIDANTS_CONNECT: "Aidants Connect",
            self.Kind.MEDIATION: "médiation numérique",
        }
        out = [words[k] for k in self.Kind.values if k in self.site_kinds]
        if self.conseillers:
            out.append(
                "conseiller numérique" if self.conseillers == 1 else f"{self.conseillers} conseillers numériques"
            )
        return out

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.old_label:
            out.append("ancienne MSAP, à vérifier")
        if self.address_check == self.AddressCheck.FLAGGED:
            out.append("code postal et commune incohérents, à vérifier")
        return out


class CommunePlaceAccess(models.Model):
    """Computed at import: nearest place of a kind and how many lie within 10 km."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="place_access")
    kind = models.CharField(max_length=20, choices=Place.Kind.choices)
    nearest = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    nearest_km = models.FloatField(null=True, blank=True)
    within_10km = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "kind"], name="unique_access_per_kind")]

    def __str__(self):
        return f"{self.commune_id} {self.kind}: {self.nearest_km} km"


class ImportState(models.Model):
    """Fingerprint of the last complete import: SHA-256 of every file read, the contour selection and the importer's
    code. A run with the same fingerprint has nothing to change and stops before parsing anything."""

    key = models.SlugField(max_length=40, unique=True)  # "open-data"
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.key}: {self.fingerprint[:12]}"


class ImportRun(models.Model):
    """One open data import started from the staff page (one source's file uploaded or downloaded), with its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "en attente"
        RUNNING = "running", "en cours"
        SUCCEEDED = "succeeded", "réussi"
        FAILED = "failed", "échoué"

    class Origin(models.TextChoices):
        UPLOAD = "upload", "fichier envoyé"
        DOWNLOAD = "download", "téléchargement officiel"

    source = models.ForeignKey(DataSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.UPLOAD)
    source_key = models.CharField(max_length=80)
    file_name = models.CharField(max_length=300)  # relative path in the data folder layout
    upload = models.CharField(max_length=500, blank=True)  # where the uploaded or downloaded file is stored
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=300, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import de données"

    def __str__(self):
        return f"{self.source_key} ({self.get_status_display()})"
