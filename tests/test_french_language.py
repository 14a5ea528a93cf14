"""French as a mairie writes it (issue H item 5): every text a user reads, checked for the same defects.

Rendered here: every page of the URLconf (for each URL name, the first role of ROLE_ORDER that gets 200 on the
MADE-UP dataset of tests/test_url_permissions.py, enriched with answers, measure actions, places and one data source
per entry of territories.opendata.MANIFEST), the plan PDF (its text through pypdf), the CSV/XLSX exports, the
deliberation ODT/DOCX, the error pages (400, 403, 404, 500, CSRF failure) and every e-mail the site sends.

Each text (tags stripped, URLs and e-mail addresses removed) fails on:
- a plural hedge: "(s)", "(x)", "(aux)", "(es)";
- a number followed by a wrongly agreed noun of the project ("1 lieux", "0 communes", "3 lieu");
- a count of 1 000 or more without a thousands separator ("1397 habitants"), a decimal point in a figure ("7.8");
- an English word from ENGLISH.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.exceptions import BadRequest, PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from inclusion.urls import urlpatterns as site_urlpatterns
from tests.permission_table import PERMISSIONS
from tests.test_url_permissions import build_dataset, client_for, resolve_urls

# (singular, plural) of the project's nouns; French: 0 and 1 take the singular, 2 and more the plural.
NOUNS = [
    ("lieu", "lieux"),
    ("commune", "communes"),
    ("habitant", "habitants"),
    ("agent", "agents"),
    ("diagnostic", "diagnostics"),
    ("réponse", "réponses"),
    ("question", "questions"),
    ("ordinateur", "ordinateurs"),
    ("structure", "structures"),
    ("mesure", "mesures"),
    ("étape", "étapes"),
    ("demande", "demandes"),
    ("acteur", "acteurs"),
    ("action", "actions"),
    ("ligne", "lignes"),
    ("an", "ans"),
    ("jour", "jours"),
    ("heure", "heures"),
    ("minute", "minutes"),
    ("point", "points"),
    ("conseiller", "conseillers"),
    ("coordinateur", "coordinatrices"),
    ("fichier", "fichiers"),
    ("département", "départements"),
    ("personne", "personnes"),
]
SINGULAR = dict(NOUNS)
PLURAL = {p: s for s, p in NOUNS}
SPACE = "[ \u00a0\u202f]"
NUMBER = rf"(?<![\w.,/-])(\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(?:,\d+)?"
WORDS = "|".join(sorted({w for pair in NOUNS for w in pair}, key=len, reverse=True))
NUMBER_NOUN = re.compile(rf"{NUMBER}{SPACE}+({WORDS})(?![\w-])")
UNSEPARATED_COUNT = re.compile(rf"(?<![\w.,/-])\d{{4,}}{SPACE}+({WORDS})(?![\w-])")
# A version is not a figure: "Licence Ouverte 2.0", "WCAG 2.1", the rules' "2026.1".
DECIMAL_POINT = re.compile(r"(?<!Licence )(?<!WCAG )(?<!RGAA )(?<![\w.])(?!20\d\d\.\d\b)\d+\.\d+(?![\w.])")
HEDGE = re.compile(r"\w\((?:s|x|aux|es|e)\)")

# English that must never reach a user; matched as whole words (case-sensitive unless given in lower case).
ENGLISH = [
    "licence of",
    "not stated",
    "to confirm",
    "usage test",
    "open data",
    "github",
    "snapshot",
    "Forbidden",
    "Not Found",
    "Server Error",
    "Page not found",
    "Bad Request",
    "CSRF",
    "None",
    "True",
    "False",
    "null",
    "Submit",
    "Cancel",
    "Loading",
    "Error",
    "Warning",
    "Download",
    "Search",
    "Sign in",
    "Log in",
    "Logout",
    "Password",
    "Next",
    "Previous",
    "Back",
    "Home",
    "Settings",
    "required",
    "This field",
    "Enter a valid",
    "You are",
    "Please",
    "the ",
    " and ",
    " of the",
]
# More English that the open data import used to print (summaries, dry run, file errors): checked in its output.
IMPORT_ENGLISH = [
    "created",
    "updated",
    "unchanged",
    "deleted",
    "rejected",
    "added",
    "changed",
    "removed",
    "missing",
    "invalid",
    "duplicate",
    "expected",
    "not found",
    "record",
    "field",
    "line",
    "column",
    "file",
    "files",
    "nothing",
    "Dry run",
    "Details",
]
URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|/\S*/")


class _Text(HTMLParser):
    """The text a user reads: text nodes (not script/style) and the attributes read aloud or shown."""

    SHOWN = {"placeholder", "title", "alt", "aria-label", "aria-description"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self.skip += 1
        for name, value in attrs:
            if value and (name in self.SHOWN or (name == "value" and dict(attrs).get("type") in {"submit", "button"})):
                self.parts.append(value)
        self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self.skip = max(0, self.skip - 1)
        self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return "".join(parser.parts)


def defects(text: str, *, english: list[str] = ENGLISH) -> list[str]:
    """The French defects of `text` (plain text), each with its context; `english`: the words that must not appear."""
    text = URL.sub(" ", html.unescape(text))
    found = []

    def context(match):
        start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
        return text[start:end].replace("\n", " ⏎ ")

    for match in HEDGE.finditer(text):
        found.append(f"plural hedge {match.group()!r}: …{context(match)}…")
    for match in NUMBER_NOUN.finditer(text):
        digits, noun = re.sub(r"\D", "", match.group(1)), match.group(2)
        value = int(digits)
        decimal = "," in match.group(0)
        if noun in PLURAL and value < 2 and not decimal and noun != "ans":
            found.append(f"plural after {value}: {match.group()!r}: …{context(match)}…")
        elif noun in SINGULAR and (value >= 2 or decimal and value >= 2):
            found.append(f"singular after {value}: {match.group()!r}: …{context(match)}…")
    for match in UNSEPARATED_COUNT.finditer(text):
        found.append(f"no thousands separator: {match.group()!r}: …{context(match)}…")
    for match in DECIMAL_POINT.finditer(text):
        found.append(f"decimal point: {match.group()!r}: …{context(match)}…")
    for word in english:
        flags = re.IGNORECASE if word.islower() else 0  # "None", "True"… only capitalised; "github" in any case
        before = r"(?<![\w-])" if word[0].isalnum() else ""
        after = r"(?![\w-])" if word[-1].isalnum() else ""
        pattern = re.compile(before + re.escape(word) + after, flags)
        for match in pattern.finditer(text):
            found.append(f"English {word!r}: …{context(match)}…")
    return found


def test_the_checker_catches_each_defect_of_the_issue():
    """The defects quoted by issue H are caught, and their French forms pass."""
    wrong = [
        "3 lieu",
        "1 ordinateurs",
        "1 agents",
        "1 diagnostics commencés",
        "0 lieux",
        "2 commune",
        "agent(s) formé(s)",
        "acteur(s) local(aux)",
        "réponse(s) connue(s)",
        "1397 habitants",
        "indice 7.8",
        "licence of the github snapshot not stated",
        "ANCT open data (licence to confirm)",
        "usage test",
        "Page not found",
        "Server Error (500)",
        "CSRF verification failed",
        "Valeur : None",
    ]
    for text in wrong:
        assert defects(text), f"not caught: {text!r}"
    right = "1 lieu, 3 lieux, 0 lieu, 1 ordinateur, 1 agent formé, 2 communes, 1\u202f397 habitants, 7,8 ; 2,5 km"
    assert defects(right) == []
    assert defects("Marthe Dupont, Bandeau, Nonette, Errorville") == []
    assert defects(visible_text('<a href="https://github.com/x/snapshot">Source</a>')) == []


# ---------------------------------------------------------------------------------------------------------------
# The made-up dataset, enriched so that pages show counts, places and sources


def enrich(data: dict) -> dict:
    from diagnostic.models import Answer, MeasureAction
    from territories import opendata
    from territories.models import Commune, DataSource, Place
    from tests.factories import answers_for, make_access, make_place, make_source

    Commune.objects.filter(pk=data["commune_a"].pk).update(population=1397)
    diagnostic = data["diagnostic_a"]
    Answer.objects.bulk_create(
        Answer(diagnostic=diagnostic, question=key, value=value) for key, value in answers_for("low").items()
    )
    MeasureAction.objects.bulk_create(
        MeasureAction(diagnostic=diagnostic, measure=n, priority="high" if n in (1, 4) else "low", status="todo")
        for n in range(1, 6)
    )
    for kind, count in ((Place.Kind.MEDIATION, 1), (Place.Kind.FRANCE_SERVICES, 3)):
        place = make_place(f"Lieu inventé {kind}", kind=kind, commune=data["commune_a"])
        make_access(data["commune_a"], place, km=1.5, within_10km=count, kind=kind)
    for entry in opendata.MANIFEST.values():
        entry = entry.at("97") if entry.per_departement else entry
        if not DataSource.objects.filter(key=entry.key).exists():
            make_source(
                entry.key,
                name=entry.name,
                producer=entry.producer,
                licence=entry.licence,
                vintage=entry.vintage,
                url=entry.url,
                file_name=entry.path,
                row_count=12345,
            )
    return data


@pytest.fixture
def dataset(db):
    return enrich(build_dataset())


ROLE_ORDER = ["agent", "coordinator", "staff", "anonymous", "pending_agent", "other_agent", "other_coordinator"]


def document_text(response) -> str:
    """The text a user reads in a response: HTML, PDF, CSV, XLSX, ODT, DOCX or plain text."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "html" in content_type:
        return visible_text(body.decode())
    if "pdf" in content_type:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " | ".join(cell for cell in row if isinstance(cell, str))  # numbers are numbers in a spreadsheet
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "opendocument" in content_type or "wordprocessingml" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            xml = archive.read("content.xml" if "opendocument" in content_type else "word/document.xml").decode()
        return visible_text(re.sub(r"<(?:text:p|text:h|w:p)\b", "\n<p", xml))
    if "csv" in content_type:
        text = body.decode("utf-8-sig")
        return "\n".join(" | ".join(row) for row in csv.reader(io.StringIO(text), delimiter=";"))
    return body.decode(errors="replace")


def test_every_page_and_download_reads_as_french(dataset):
    problems, checked = [], []
    clients = {}
    for name, url in resolve_urls(dataset).items():
        role = next((r for r in ROLE_ORDER if PERMISSIONS[name][r] == 200), None)
        if role is None:
            continue
        client = clients.setdefault(role, client_for(role, dataset))
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url} as {role}: {response.status_code}"
        if re.search("json|javascript", response.get("Content-Type", "")):
            # machine-readable (suggestions, personal data export, a région map's script): keys and code are not
            # prose, as the pages' inline scripts are not either
            continue
        checked.append(name)
        text = document_text(response)
        problems += [f"{name} ({url}, {role}): {d}" for d in defects(text)]
        if name == "diagnostic:plan_pdf" and not re.search("Document[ \u00a0]établi[ \u00a0]le", text):
            problems.append("plan PDF: the cover wraps « Document établi le » over two lines")
    problems += extra_pages(dataset)
    for must in ("diagnostic:plan", "diagnostic:plan_pdf", "territories:sources", "diagnostic:dashboard_export_xlsx"):
        assert must in checked
    assert not problems, "\n".join(problems)


def extra_pages(data: dict) -> list[str]:
    """Pages the URL walk sees once only: every questionnaire step, the plan of a submitted diagnostic of another
    commune (highest answers), the public pages as an anonymous visitor, forms sent back with their errors."""
    from django.urls import reverse

    from diagnostic.models import Diagnostic
    from diagnostic.questionnaire.definition import SECTIONS
    from tests.factories import make_diagnostic

    agent, anonymous = client_for("agent", data), Client()
    Diagnostic.objects.filter(pk=data["diagnostic_b"].pk).delete()
    submitted = make_diagnostic(data["commune_b"], status=Diagnostic.Status.SUBMITTED, level="high", high=(2, 3))
    other_agent = client_for("other_agent", data)
    pages = [(agent, reverse("diagnostic:step", args=[data["diagnostic_a"].pk, s.number]), None) for s in SECTIONS]
    pages += [
        (other_agent, reverse("diagnostic:plan", args=[submitted.pk]), None),
        (other_agent, reverse("diagnostic:plan_pdf", args=[submitted.pk]), None),
        (other_agent, reverse("diagnostic:summary", args=[submitted.pk]), None),
        (anonymous, reverse("territories:home"), None),
        (anonymous, reverse("territories:commune", args=[data["commune_b"].insee]), None),
        (anonymous, reverse("territories:search") + "?q=inventée", None),
        (anonymous, reverse("accounts:signup"), {}),
        (anonymous, reverse("accounts:login"), {"username": "personne@example.org", "password": "faux"}),
        (anonymous, reverse("accounts:password_reset"), {"email": "pas-une-adresse"}),
    ]
    problems = []
    for client, url, post in pages:
        response = client.get(url) if post is None else client.post(url, post)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        problems += [f"{url}: {d}" for d in defects(document_text(response))]
    return problems


def raise_bad_request(request):
    raise BadRequest


def raise_forbidden(request):
    raise PermissionDenied


def raise_error(request):
    raise RuntimeError("panne inventée pour le test")


urlpatterns = [
    path("test-400/", raise_bad_request),
    path("test-403/", raise_forbidden),
    path("test-500/", raise_error),
    *site_urlpatterns,
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_error_pages_read_as_french():
    client = Client(raise_request_exception=False)
    pages = {
        400: client.get("/test-400/"),
        403: client.get("/test-403/"),
        404: client.get("/cette-page-n-existe-pas/"),
        500: client.get("/test-500/"),
    }
    csrf = Client(enforce_csrf_checks=True).post("/connexion/", {"username": "x", "password": "y"})
    assert csrf.status_code == 403
    pages["csrf"] = csrf
    problems = []
    for status, response in pages.items():
        assert status == "csrf" or response.status_code == status
        text = visible_text(response.content.decode())
        assert text.strip()
        problems += [f"{status}: {d}" for d in defects(text)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_email_reads_as_french(django_capture_on_commit_callbacks):
    """Trigger each e-mail of the site; subjects and bodies are checked (subjects also for HTML escapes)."""
    from inclusion.accounts import services
    from inclusion.accounts.models import Membership
    from inclusion.accounts.personal_data import delete_account
    from tests.factories import make_commune, make_departement, make_hub, make_region, make_user

    site = "https://inclusion.example.org"
    region = make_region("97", "Région A inventée")
    hub = make_hub("hub-a", "Hub A inventé", region=region)
    dep = make_departement("97", "Département A inventé", region=region, hub=hub)
    commune = make_commune("97001", "Commune inventée d'Artagnan", dep=dep, population=1397)
    coordinator = make_user("coord@example.org", hub=hub)
    existing = make_user("existant@example.org", first_name="Jeanne", last_name="D'Artagnan")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.register_agent(
            email="nouveau@example.org",
            password="mot-de-passe-long-inventé-42",
            first_name="Paul",
            last_name="D'Artagnan",
            commune=commune,
            message="Message inventé",
            site_url=site,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.register_agent(
            email=existing.email, password="autre-mot-de-passe-42", first_name="X", last_name="Y", commune=commune
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_email(user=new, site_url=site)  # the request then reaches the Hub
    pending = Membership.objects.get(user=new, commune=commune)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_membership(membership=pending, decided_by=coordinator, approve=True, site_url=site)
    refused_user = make_user("refuse@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        refused = services.request_membership(user=refused_user, commune=commune, site_url=site)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_membership(
            membership=refused, decided_by=coordinator, approve=False, message="Inconnu", site_url=site
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_agent(
            invited_by=coordinator,
            email="invite@example.org",
            first_name="Léa",
            last_name="D'Artagnan",
            commune=commune,
            site_url=site,
        )
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/mot-de-passe/oublie/", {"email": existing.email})
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=existing)

    subjects = [message.subject for message in mail.outbox]
    assert len(mail.outbox) >= 8, subjects
    problems = []
    for message in mail.outbox:
        if "&#" in message.subject or "&amp;" in message.subject:
            problems.append(f"HTML escape in subject {message.subject!r}")
        problems += [f"{message.subject!r}: {d}" for d in defects(message.subject + "\n" + message.body)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_open_data_import_output_reads_as_french(fixtures_dir, tmp_path):
    """What `load_open_data` prints to the staff who run it (summaries with their rejections and notes, dry run,
    timings, the same-files shortcut) and the errors it stops on (also shown on /equipe/donnees/), on the MADE-UP
    data folder with the raw regional files and a self-intersecting contour, so that most notes have something to
    say."""
    import shutil
    from io import StringIO
    from pathlib import Path

    from django.core.management import CommandError, call_command

    from territories import opendata

    data = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", data)
    for key in ("mediation-hub-lo", "mediation-region-sud"):
        rel = opendata.path(key)
        shutil.copy(data / "mediation/raw-made-up" / Path(rel).name, data / rel)
    contours = data / "geo/cog2025-mathieulebasic/communes-dep99.geojson"
    square = "[[[2.1, 46.0], [2.2, 46.0], [2.2, 46.1], [2.1, 46.1], [2.1, 46.0]]]"
    bow_tie = "[[[2.1, 46.0], [2.2, 46.1], [2.2, 46.0], [2.1, 46.1], [2.1, 46.0]]]"
    contours.write_text(contours.read_text(encoding="utf-8").replace(square, bow_tie), encoding="utf-8")

    def run(*args) -> str:
        out = StringIO()
        call_command("load_open_data", *args, "--data-dir", str(data), "--no-progress", stdout=out)
        return out.getvalue()

    def refused(*args) -> str:
        with pytest.raises(CommandError) as excinfo:
            run(*args)
        return str(excinfo.value)

    texts = {
        "dry run": run("--all", "--dry-run"),
        "first run": run("--all"),
        "same files": run("--all"),
        "selection": run("--departements", "99"),
        "unknown département": refused("--departements", "98"),
    }
    ifn = data / "indicators/ifn-communes.csv"
    ifn.write_text(ifn.read_text(encoding="utf-8") + "Doublon,city,99001,1.0,1.0,1.0,1.0,1.0,1.0\n", encoding="utf-8")
    texts["refused file"] = refused("--all")
    assert "ajouts" in texts["dry run"] and "1 polygone invalide réparé" in texts["first run"]
    assert "rejet : sans nom" in texts["first run"] and "Aucun changement" in texts["same files"]
    assert "ligne 10, colonne 3 : colonne « code » : code INSEE « 99001 » en double" in texts["refused file"]
    problems = [f"{name}: {d}" for name, text in texts.items() for d in defects(text, english=ENGLISH + IMPORT_ENGLISH)]
    assert not problems, "\n".join(problems)


@pytest.mark.realdata
@pytest.mark.django_db
def test_boulleret_real_plan_and_pages_read_as_french(client, real_data_dir):
    """Boulleret (18032) on the REAL open data of the Cher, with seed_demo's answers: the plan, its PDF, its
    deliberation and exports, the commune and département pages and /sources/ as loaded by the importers."""
    from django.core.management import call_command
    from django.urls import reverse

    from diagnostic.management.commands.seed_demo import BOULLERET_ANSWERS, BOULLERET_COMMENTS
    from diagnostic.questionnaire.services import create_diagnostic, save_answers
    from territories.models import Commune
    from tests.factories import make_member, make_user

    call_command("load_open_data", "--departements", "18", "--data-dir", str(real_data_dir), "--no-progress")
    agent = make_user("agent.test@exemple.invalid")
    make_member(agent, Commune.objects.get(insee="18032"))
    diagnostic = create_diagnostic(commune=Commune.objects.get(insee="18032"), user=agent, year=2026, is_demo=True)
    save_answers(diagnostic=diagnostic, user=agent, answers=BOULLERET_ANSWERS, comments=BOULLERET_COMMENTS)
    client.force_login(agent)
    urls = [reverse(name, args=[diagnostic.pk]) for name in ("diagnostic:plan", "diagnostic:summary")]
    urls += [
        reverse(f"diagnostic:{name}", args=[diagnostic.pk])
        for name in ("plan_pdf", "plan_csv", "plan_deliberation_odt", "plan_deliberation_docx")
    ]
    urls += [
        reverse("territories:commune", args=["18032"]),
        reverse("territories:departement", args=["18"]),
        reverse("territories:sources"),
    ]
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        problems += [f"{url}: {d}" for d in defects(document_text(response))]
    assert not problems, "\n".join(problems)
