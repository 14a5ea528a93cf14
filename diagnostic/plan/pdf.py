"""The plan as an A4 PDF for a council meeting (WeasyPrint), tagged and accessible (PDF/UA-1).

Nothing is fetched over the network while rendering: `StaticFileFetcher` serves our own static files from disk
(stylesheets referenced with {% static %}) and refuses every other URL; the map is inline SVG drawn by
`svgmap.departement_map_svg`; fonts are the system fonts found by fontconfig (read from disk).
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from diagnostic.plan.deliberation import deliberation_for
from diagnostic.plan.svgmap import departement_map_svg

TEMPLATE = "diagnostic/plan/plan_pdf.html"
BASE_URL = "file:///"
PDF_VARIANT = "pdf/ua-1"
CACHE_SECONDS = 6 * 3600


class RefusedURL(ValueError):
    pass


def static_file_for(url: str) -> Path | None:
    """The file on disk behind a URL of our static files ("/static/css/print.css" resolved against BASE_URL), or
    None for anything else (other schemes, hosts, paths outside the static folders)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    if not name or ".." in Path(name).parts:
        return None
    candidates = []
    if staticfiles_storage.exists(name):
        candidates.append(Path(staticfiles_storage.path(name)))
    found = finders.find(name)
    if found:
        candidates.append(Path(found))
    roots = [Path(settings.STATIC_ROOT).resolve(), *(Path(d).resolve() for d in settings.STATICFILES_DIRS)]
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
            return resolved
    return None


class StaticFileFetcher(URLFetcher):
    """Serves our static files from disk; refuses any other URL (no HTTP fetch, no arbitrary file read)."""

    def __init__(self):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)

    def fetch(self, url, headers=None):
        path = static_file_for(url)
        if path is None:
            raise RefusedURL(f"Ressource refusée pendant le rendu du PDF : {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def plan_pdf_html(plan) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "plan": plan,
            "map_svg": departement_map_svg(plan.commune, title_id="carte-pdf-titre"),
            "deliberation": deliberation_for(plan),
        },
    )


def plan_pdf_cache_key(diagnostic) -> str:
    """Changes whenever something the PDF shows may change: answers (diagnostic.version), status, follow-up of the
    measures, imported data (territories.selectors.data_version) and the day (the cover is dated)."""
    from territories.selectors import data_version

    measures = list(diagnostic.measures.order_by("measure").values_list("measure", "version", "priority", "updated_at"))
    raw = repr(
        (
            diagnostic.pk,
            diagnostic.version,
            diagnostic.status,
            diagnostic.is_demo,
            diagnostic.updated_at,
            measures,
            data_version(),
            timezone.localdate(),
        )
    )
    return "plan-pdf:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_plan_pdf(diagnostic, build_plan) -> bytes:
    """The PDF from the cache when nothing it shows has changed, else rendered (and cached) now."""
    key = plan_pdf_cache_key(diagnostic)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_plan_pdf(build_plan(diagnostic))
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def render_plan_pdf(plan) -> bytes:
    html = plan_pdf_html(plan)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
