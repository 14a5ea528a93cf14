"""Staff page "Données ouvertes" (/equipe/donnees/): the loaded sources and a replacement file per source."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_vary_headers

from territories import selectors, services


class ReplacementForm(forms.Form):
    source = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label="Nouveau fichier")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.INCLUSION_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(f"Ce fichier est trop lourd : {filesizeformat(limit)} au plus.")
        return uploaded


@login_required
def staff_data(request):
    if not request.user.is_staff:
        raise PermissionDenied("Cette page est réservée à l'équipe du site.")
    errors = {}
    if request.method == "POST" and request.POST.get("action") == "download":
        source = get_object_or_404(selectors.replaceable_sources(request.user), key=request.POST.get("source", ""))
        run = services.start_import(user=request.user, source=source)
        return redirect(f"{request.path}?import={run.pk}#import-{run.pk}")
    if request.method == "POST":
        form = ReplacementForm(request.POST, request.FILES)
        source = get_object_or_404(selectors.replaceable_sources(request.user), key=request.POST.get("source", ""))
        if form.is_valid():
            run = services.start_import(user=request.user, source=source, uploaded=form.cleaned_data["file"])
            return redirect(f"{request.path}?import={run.pk}#import-{run.pk}")
        errors[source.key] = form.errors.get("file")
    runs = selectors.import_runs(request.user)
    context = {
        "runs": runs,
        # A queued or running import: the list polls every 2 s (htmx) and offers "Actualiser" without JavaScript.
        "pending": any(run.status in (run.Status.QUEUED, run.Status.RUNNING) for run in runs),
        "waiting_for_worker": selectors.imports_wait_for_a_worker(request.user),
    }
    if request.htmx and request.htmx.target == "imports":
        response = render(request, "territories/staff_data.html#imports", context)
    else:
        sources = selectors.staff_sources(request.user)
        for source in sources:
            source.file_errors = errors.get(source.key)
        response = render(request, "territories/staff_data.html", {**context, "sources": sources})
    patch_vary_headers(response, ["HX-Request"])
    return response
