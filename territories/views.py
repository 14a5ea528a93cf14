from django.shortcuts import render

from territories.models import DataSource


def home(request):
    return render(request, "territories/home.html")


def search(request):
    return render(request, "territories/search.html", {"query": request.GET.get("q", "")})


def sources(request):
    return render(request, "territories/sources.html", {"sources": DataSource.objects.order_by("name")})


def accessibility(request):
    return render(request, "territories/accessibility.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
