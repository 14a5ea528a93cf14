"""'Mes données personnelles' in Mon espace: see and download my data, correct my name, delete my account."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from inclusion.accounts.forms import ErrorSummaryMixin
from inclusion.accounts.personal_data import (
    NEUTRAL_LABEL,
    AccountDeletionRefused,
    delete_account,
    deletion_blocker,
    export_personal_data,
    update_name,
)
from inclusion.accounts.roles import role_required


class NameForm(ErrorSummaryMixin, forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"}))

    def clean(self):
        cleaned = super().clean()
        full = " ".join(f"{cleaned.get('first_name', '')} {cleaned.get('last_name', '')}".split())
        if full.casefold() == NEUTRAL_LABEL.casefold():
            raise forms.ValidationError(f"« {NEUTRAL_LABEL} » est réservé aux comptes supprimés.")
        return cleaned


class DeleteAccountForm(ErrorSummaryMixin, forms.Form):
    password = forms.CharField(
        label="Votre mot de passe",
        strip=False,
        help_text="Nous vous le demandons pour vérifier que c'est bien vous.",
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="Je comprends que mon compte sera supprimé définitivement.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # authenticate() goes through django-axes: wrong passwords count towards the lockout like at sign-in.
        checked = authenticate(self.request, username=user.email, password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError("Ce mot de passe n'est pas le bon.")
        return password


@role_required()
def personal_data(request):
    """GET: what we hold and the actions; POST: correct my name."""
    user = request.user
    form = NameForm(request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name})
    if request.method == "POST" and form.is_valid():
        update_name(user=user, first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"])
        messages.success(request, "Votre nom est corrigé.")
        return redirect("accounts:personal_data")
    data = export_personal_data(user=user)
    counts = {
        key: len(data[key])
        for key in (
            "adhesions",
            "decisions_prises",
            "diagnostics",
            "reponses_modifiees",
            "suivi_des_mesures",
            "avis_rediges",
            "historique_des_modifications",
        )
    }
    counts["connexions"] = sum(len(rows) for rows in data["journal_de_connexion"].values())
    return render(request, "accounts/personal_data.html", {"form": form, "counts": counts, "account": data["compte"]})


@require_safe
@role_required()
def personal_data_export(request):
    data = export_personal_data(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required()
def account_delete(request):
    blocker = deletion_blocker(request.user)
    form = DeleteAccountForm(request.POST or None, request=request)
    if request.method == "POST" and not blocker and form.is_valid():
        try:
            delete_account(user=request.user)
        except AccountDeletionRefused as error:  # another person's change in between
            blocker = str(error)
        else:
            logout(request)
            messages.success(
                request,
                "Votre compte est supprimé. Un e-mail de confirmation vous a été envoyé. "
                "Les diagnostics de votre commune restent, votre nom y est remplacé par « Ancien utilisateur ».",
            )
            return redirect("territories:home")
    return render(request, "accounts/account_delete.html", {"form": form, "blocker": blocker})
