"""Account forms: sign-in (works with django-axes), sign-up, membership requests, decisions and invitations."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template import loader
from django.urls import reverse_lazy

from inclusion.accounts.models import Membership, User
from territories.models import Commune
from territories.text import normalize_search
from territories.vocabulary import INSEE_PATTERN

INSEE_RE = re.compile(rf"^(?:{INSEE_PATTERN})$", re.IGNORECASE)
INSEE_IN_TEXT_RE = re.compile(rf"\(({INSEE_PATTERN})\)\s*$", re.IGNORECASE)
MAX_SUGGESTIONS = 8
EMAIL_ERRORS = {"invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@mairie-exemple.fr."}


class ErrorSummaryMixin:
    """`error_summary()` lists (anchor, label, message) for the error summary at the top of a page."""

    def error_anchor(self, name: str) -> str:
        if name not in self.fields:
            return ""
        bound = self[name]
        if getattr(bound.field.widget, "input_type", "") in {"radio", "checkbox"} and getattr(
            bound.field, "choices", None
        ):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_summary(self) -> list[tuple[str, str, str]]:
        items = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            anchor = self.error_anchor(name)
            for error in errors:
                items.append((anchor, label, error))
        return items


def resolve_commune(text: str) -> Commune:
    """A commune from an INSEE code, "Name (INSEE)" or an unambiguous name; ValidationError otherwise."""
    text = (text or "").strip()
    if not text:
        raise forms.ValidationError("Indiquez votre commune (nom ou code INSEE).", code="required")
    match = INSEE_IN_TEXT_RE.search(text)
    code = match.group(1) if match else (text if INSEE_RE.match(text) else "")
    if code:
        commune = Commune.objects.filter(insee=code.upper()).select_related("departement").first()
        if commune is None:
            raise forms.ValidationError(f"Aucune commune n'a le code INSEE « {code} ».", code="unknown")
        return commune
    wanted = normalize_search(text)
    exact = list(Commune.objects.filter(search_name=wanted).select_related("departement")[: MAX_SUGGESTIONS + 1])
    if len(exact) == 1:
        return exact[0]
    candidates = exact or list(
        Commune.objects.filter(search_name__startswith=wanted).order_by("search_name", "insee")[:MAX_SUGGESTIONS]
    )
    if not candidates:
        raise forms.ValidationError(
            f"Aucune commune ne s'appelle « {text} ». Vérifiez l'orthographe ou indiquez le code INSEE.",
            code="unknown",
        )
    listed = ", ".join(f"{c.name} ({c.insee})" for c in candidates[:MAX_SUGGESTIONS])
    raise forms.ValidationError(
        f"Plusieurs communes correspondent à « {text} » : {listed}. Indiquez le code INSEE entre parenthèses, "
        f"par exemple « {candidates[0].name} ({candidates[0].insee}) ».",
        code="ambiguous",
    )


def suggest_communes(text: str, limit: int = 10) -> list[Commune]:
    """Communes whose name (or INSEE code) starts with `text`, most populated first."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    if text[:2].isdigit() or text[:2].upper() in {"2A", "2B"}:
        qs = Commune.objects.filter(insee__startswith=text.upper()[:5])
    else:
        qs = Commune.objects.filter(search_name__startswith=normalize_search(text))
    return list(qs.select_related("departement").order_by("-population", "name")[:limit])


class CommuneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Commune")
        kwargs.setdefault(
            "help_text",
            "Le nom de la commune ou son code INSEE (5 caractères), par exemple « Boulleret » ou « 18032 ».",
        )
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("error_messages", {"required": "Indiquez votre commune (nom ou code INSEE)."})
        super().__init__(**kwargs)
        # Suggestions while typing (htmx fills a <datalist>); without JavaScript the field works the same.
        self.widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "list": "commune-suggestions",
                "hx-get": reverse_lazy("accounts:commune_suggestions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#commune-suggestions",
                "hx-swap": "innerHTML",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        if not value and not self.required:
            return None
        return resolve_commune(value)


class LoginForm(ErrorSummaryMixin, AuthenticationForm):
    """Sign-in with e-mail; the field stays named `username` for django-axes (AXES_USERNAME_FORM_FIELD)."""

    username = forms.EmailField(
        label="Adresse e-mail",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Par sécurité, après %(limit)s essais infructueux la "
            "connexion est bloquée quelques minutes."
        ),
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_address_throttled", False):
                raise forms.ValidationError(
                    "Trop de tentatives de connexion ont échoué depuis votre connexion internet. Réessayez dans "
                    "quelques minutes, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ».",
                    code="address_throttled",
                ) from None
            raise

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class PasswordFieldsMixin:
    """Two password fields checked against the validators."""

    def add_password_fields(self):
        self.fields["password1"] = forms.CharField(
            label="Mot de passe",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text="Au moins 10 caractères, pas uniquement des chiffres, ni trop courant.",
        )
        self.fields["password2"] = forms.CharField(
            label="Confirmation du mot de passe",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        )

    def clean_password_pair(self, user):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
            return
        if p1:
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


class SignupForm(ErrorSummaryMixin, PasswordFieldsMixin, forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"}))
    email = forms.EmailField(
        label="Adresse e-mail professionnelle",
        error_messages=EMAIL_ERRORS,
        help_text="Elle sert d'identifiant. Nous y envoyons la réponse à votre demande.",
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    commune = CommuneField()
    message = forms.CharField(
        label="Votre fonction",
        required=False,
        max_length=500,
        help_text="Par exemple « secrétaire de mairie ». Aide le Hub à valider votre demande.",
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "commune", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_password_fields()
        self.order_fields(self.field_order)

    def clean_email(self):
        # Whether an account exists is never said here (the owner is told by e-mail instead).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        self.clean_password_pair(
            User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
        )
        return cleaned


class JoinForm(ErrorSummaryMixin, forms.Form):
    commune = CommuneField()
    message = forms.CharField(label="Votre fonction", required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_commune(self):
        commune = self.cleaned_data["commune"]
        existing = Membership.objects.filter(user=self.user, commune=commune).first()
        if existing and existing.status == Membership.Status.APPROVED:
            raise forms.ValidationError(f"Vous êtes déjà membre de {commune.name}.")
        if existing and existing.status == Membership.Status.PENDING:
            raise forms.ValidationError(f"Votre demande pour {commune.name} est déjà en attente.")
        return commune


class DecisionForm(ErrorSummaryMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approve", "Accepter"), ("refuse", "Refuser")],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label="Message à l'agent",
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
    )


class InviteForm(ErrorSummaryMixin, forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail de l'agent", error_messages=EMAIL_ERRORS)
    commune = CommuneField(help_text="Une commune de votre Hub : nom ou code INSEE.")

    def __init__(self, *args, inviter, **kwargs):
        self.inviter = inviter
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        existing = User.objects.filter(email__iexact=email).first()
        if existing and (existing.is_staff or existing.hub_id):
            raise forms.ValidationError("Cette adresse appartient à un coordinateur ou à l'équipe : invitez un agent.")
        return email

    def clean_commune(self):
        from inclusion.accounts import roles

        commune = self.cleaned_data["commune"]
        if not (roles.is_staff(self.inviter) or roles.coordinates_commune(self.inviter, commune)):
            raise forms.ValidationError(f"{commune.name} ne fait pas partie des départements de votre Hub.")
        return commune


class FrenchPasswordResetForm(ErrorSummaryMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        """Active accounts with this address, including invited ones that never chose a password (Django skips
        those): the link lets them choose one."""
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.email.lower() == email.strip().lower():
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        from django.core.mail import EmailMessage

        from inclusion.accounts.services import logger, render_subject

        subject = render_subject(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        try:
            EmailMessage(subject, body, from_email, [to_email]).send()
        except Exception:  # a mail server outage must not break the page; it is logged
            logger.exception("Password reset e-mail to user %s failed", context["user"].pk)


class FrenchSetPasswordForm(ErrorSummaryMixin, SetPasswordForm):
    pass
