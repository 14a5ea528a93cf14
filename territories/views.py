"""Public pages (no login): home, commune search, commune profile, département map and table, sources,
accessibility statement. Thin views: queries live in territories.selectors and territories.search, maps in
territories.maps."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from territories import maps, selectors, vocabulary
from territories.charts import ifn_chart
from territories.models import DataSource, Place
from territories.search import SUGGESTION_LIMIT, search_communes

# National figures quoted in the La Mednum / InterHubs webinar of 3 February 2026, with the sources it cites.
NATIONAL_FIGURES = [
    {
        "figure": "+ de 16 millions",
        "text": "de personnes en situation de fragilité numérique en France.",
        "source": "Chiffre cité par le webinaire La Mednum / InterHubs du 3 février 2026 (source non précisée).",
    },
    {
        "figure": "65 %",
        "text": "des citoyennes et citoyens ont des craintes liées à l'utilisation des outils numériques.",
        "source": "Chiffre cité par le webinaire La Mednum / InterHubs du 3 février 2026 (source non précisée).",
    },
    {
        "figure": "97 %",
        "text": "des personnes accompagnées par des conseillers numériques estiment avoir progressé "
        "dans leurs usages du numérique.",
        "source": "Chiffre cité par le webinaire La Mednum / InterHubs du 3 février 2026 (source non précisée).",
    },
    {
        "figure": "83 M€ → 42 M€",
        "text": "budget de l'État pour l'inclusion numérique : 83 millions d'euros en 2024, 42 millions en 2025.",
        "source": "Chiffres cités par le webinaire La Mednum / InterHubs du 3 février 2026 (source non précisée).",
    },
    {
        "figure": "90 %",
        "text": "des entreprises ne se sont pas du tout saisies du sujet.",
        "source": "Baromètre du numérique 2025, tel que cité par le webinaire La Mednum / InterHubs du 3 février 2026.",
    },
    {
        "figure": "0,6 % du PIB",
        "text": "soit 16,7 milliards d'euros : ce que coûterait à l'État la non-prise en charge des inégalités "
        "numériques.",
        "source": "Étude France 2030, telle que citée par le webinaire La Mednum / InterHubs du 3 février 2026.",
    },
]

MEASURES = [
    "Mieux identifier et comprendre les inégalités numériques sur le territoire, et identifier les acteurs présents.",
    "Former les agentes et agents de la commune à mieux accompagner les habitantes et habitants sur le numérique.",
    "Participer à la stratégie d'inclusion numérique du département et bénéficier des actions et dispositifs "
    "de France Numérique Ensemble.",
    "Organiser des permanences numériques auprès des habitantes et habitants.",
    "Mobiliser les acteurs de la médiation numérique pour que les habitants aient accès à un accompagnement "
    "et à des équipements informatiques reconditionnés.",
]


def home(request):
    return render(request, "territories/home.html", {"figures": NATIONAL_FIGURES, "measures": MEASURES})


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    if request.htmx:
        result = search_communes(query, limit=SUGGESTION_LIMIT) if len(query) >= 2 else None
        response = render(request, "territories/search.html#suggestions", {"query": query, "result": result})
    else:
        result = search_communes(query) if query else None
        response = render(request, "territories/search.html", {"query": query, "result": result})
    patch_vary_headers(response, ["HX-Request"])
    return response


def commune(request, insee):
    code = insee.strip().upper()
    if not vocabulary.INSEE_RE.match(code):
        return _not_found(
            request,
            f"« {insee} » n'est pas un code INSEE : un code de commune compte 5 caractères "
            "(chiffres, ou 2A/2B pour la Corse), par exemple 18032.",
            query=insee,
        )
    profile = selectors.get_commune_profile(code)
    if profile is None:
        return _not_found(request, f"Aucune commune n'a le code INSEE {code}.", query="")
    commune_map = maps.build_map(profile.commune.departement_id, highlight_insee=code)
    context = {
        "profile": profile,
        "commune": profile.commune,
        "chart": ifn_chart(profile.ifn_lines),
        "map": commune_map,
        "map_sources": selectors.map_sources(profile.commune.departement_id) if commune_map else [],
        "classes": _legend(),
        "kinds": _kinds(),
    }
    return render(request, "territories/commune.html", context)


def departement_map(request, code):
    departement = selectors.get_departement(code.upper())
    if departement is None:
        return _not_found(request, f"Aucun département n'a le code « {code} ».", query="")
    context = {
        "departement": departement,
        "map": maps.build_map(departement.code),
        "map_sources": selectors.map_sources(departement.code),
        "classes": _legend(),
        "kinds": _kinds(),
    }
    return render(request, "territories/departement_map.html", context)


def regions(request):
    """The national view by région: each région with communes loaded, linking to its map."""
    return render(request, "territories/regions.html", {"regions": selectors.regions_with_communes()})


def region_map(request, code):
    region = selectors.get_region(code)
    if region is None:
        return _not_found(request, f"Aucune région n'a le code « {code} ».", query="")
    summaries = selectors.region_departements(region.code)
    sources = {}
    for summary in summaries:
        for source in selectors.map_sources(summary.departement.code):
            sources.setdefault(source.pk, source)
    region_map = maps.build_region_map(region.code)
    context = {
        "region": region,
        "map": region_map,
        # the map's script (~170 KB gzipped for Auvergne-Rhône-Alpes) is a separate file, versioned by its content
        "map_script_url": (
            f"{reverse('territories:region_map_script', args=[region.code])}?v={region_map.digest}"
            if region_map
            else ""
        ),
        "map_sources": list(sources.values()),
        "summaries": summaries,
        "classes": _legend(),
    }
    return render(request, "territories/region_map.html", context)


def region_map_script(request, code):
    """The script of a région's map (see region_map): cached by the browser for a year when asked with the version
    the page links to (its content's digest), else revalidated. Public open data, but `private` like every response
    a signed-in user gets (inclusion/middleware.py): no shared cache keeps it."""
    region = selectors.get_region(code)
    region_map = maps.build_region_map(region.code) if region else None
    if region_map is None:
        raise Http404("Aucune carte pour cette région.")
    response = HttpResponse(maps.region_script(region_map), content_type="text/javascript; charset=utf-8")
    if request.GET.get("v") == region_map.digest:
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def departement(request, code):
    departement = selectors.get_departement(code.upper())
    if departement is None:
        return _not_found(request, f"Aucun département n'a le code « {code} ».", query="")
    communes = list(selectors.departement_communes(departement.code))
    rows = []
    for commune in communes:
        ifn = getattr(commune, "ifn", None)
        total = ifn.total if ifn and ifn.total and ifn.total > 0 else None
        rows.append((commune, total, vocabulary.ifn_class_label(vocabulary.ifn_class(total))))
    context = {
        "departement": departement,
        "rows": rows,
        "places": list(selectors.departement_places(departement.code)),
        "sources": selectors.map_sources(departement.code),
    }
    return render(request, "territories/departement.html", context)


def sources(request):
    return render(request, "territories/sources.html", {"sources": DataSource.objects.order_by("name")})


def accessibility(request):
    contact_email = getattr(settings, "INCLUSION_CONTACT_EMAIL", "")
    return render(request, "territories/accessibility.html", {"contact_email": contact_email})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def _not_found(request, message: str, query: str):
    return render(request, "404.html", {"message": message, "query": query}, status=404)


def _legend():
    return vocabulary.legend()


def _kinds():
    return [{"kind": kind, "label": label} for kind, label in Place.Kind.choices]
