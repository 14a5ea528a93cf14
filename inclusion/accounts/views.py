"""Account pages: sign-in/out, sign-up, "Mon espace", membership requests, decisions and invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_safe

from inclusion.accounts import home_panels, roles
from inclusion.accounts.forms import (
    DecisionForm,
    FrenchPasswordResetForm,
    FrenchSetPasswordForm,
    InviteForm,
    JoinForm,
    LoginForm,
    SignupForm,
    suggest_communes,
)
from inclusion.accounts.models import Membership, User
from inclusion.accounts.roles import role_required
from inclusion.accounts.security import client_ip, email_confirmation_token, rate_limited
from inclusion.accounts.selectors import pending_requests_for
from inclusion.accounts.services import (
    MembershipError,
    confirm_email,
    decide_membership,
    invite_agent,
    password_was_reset,
    register_agent,
    request_membership,
    resend_invitation,
)

RATE_LIMITED = 429

DECIDERS = (roles.COORDINATOR, roles.STAFF)


def site_url(request) -> str:
    return request.build_absolute_uri("/")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm


class LogoutView(auth_views.LogoutView):
    """POST signs out; GET shows a confirmation button (works without JavaScript)."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "accounts/logout_confirm.html")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = FrenchPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = FrenchSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        password_was_reset(user=form.user, site_url=site_url(self.request))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


def signup(request):
    if request.user.is_authenticated:
        return render(request, "accounts/signup.html", {"already_signed_in": True})
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if rate_limited("signup", [client_ip(request), data["email"]], settings.SIGNUP_RATE_LIMIT):
            form.add_error(
                None,
                "Trop de demandes d'inscription ont été envoyées depuis votre connexion ou pour cette adresse. "
                "Réessayez un peu plus tard.",
            )
            return render(request, "accounts/signup.html", {"form": form}, status=RATE_LIMITED)
        register_agent(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            commune=data["commune"],
            message=data["message"],
            site_url=site_url(request),
        )
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@require_safe
def signup_done(request):
    """The same page whatever the address: it never tells whether an account already exists."""
    return render(
        request, "accounts/signup_done.html", {"confirmation_hours": settings.EMAIL_CONFIRMATION_TIMEOUT // 3600}
    )


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


def confirm_email_view(request, uidb64, token):
    """GET shows a button (mail scanners that open links confirm nothing); POST confirms and sends the requests."""
    user = _user_from_uid(uidb64)
    valid = user is not None and email_confirmation_token.check_token(user, token)
    if request.method == "POST" and valid:
        sent = confirm_email(user=user, site_url=site_url(request))
        if sent:
            names = ", ".join(m.commune.name for m in sent)
            text = (
                f"Votre adresse e-mail est confirmée. Votre demande pour {names} est transmise au Hub territorial ; "
                "vous recevrez un e-mail dès qu'elle sera traitée. Connectez-vous pour la suivre."
            )
        else:
            text = "Votre adresse e-mail est confirmée. Vous pouvez vous connecter."
        messages.success(request, text)
        return redirect("accounts:login")
    return render(request, "accounts/confirm_email.html", {"validlink": valid, "confirm_user": user if valid else None})


@require_safe
def commune_suggestions(request):
    """Options of the commune field's <datalist> (htmx); public, like the commune pages."""
    query = next((v for k, v in request.GET.items() if k == "commune" or k.endswith("commune")), "")
    response = render(request, "accounts/commune_suggestions.html", {"communes": suggest_communes(query[:100])})
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
@role_required()
def home(request):
    user = request.user
    role = roles.role_of(user)
    context = {"role": role, "role_label": roles.ROLE_LABELS[role]}
    memberships = list(user.memberships.select_related("commune", "commune__departement__hub").order_by("commune"))
    context["pending"] = [m for m in memberships if m.status == Membership.Status.PENDING]
    context["refused"] = [m for m in memberships if m.status == Membership.Status.REFUSED]
    context["unconfirmed"] = [m for m in memberships if m.status == Membership.Status.UNCONFIRMED]
    context.update(home_panels.context_for(user=user, role=role, memberships=memberships))
    if role in DECIDERS:
        context["dashboard_url"] = reverse("diagnostic:dashboard")
        context["pending_count"] = pending_requests_for(user).count()
        if role == roles.COORDINATOR:
            context["hub"] = user.hub
    return render(request, "accounts/home.html", context)


@role_required(roles.AGENT, roles.PENDING_AGENT, roles.NONE)
def join(request):
    form = JoinForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if rate_limited(
            "membership-request",
            [f"user-{request.user.pk}", client_ip(request)],
            settings.MEMBERSHIP_REQUEST_RATE_LIMIT,
        ):
            form.add_error(
                None,
                "Vous avez envoyé beaucoup de demandes d'adhésion en peu de temps. Réessayez plus tard, ou contactez "
                "votre Hub territorial.",
            )
            return render(request, "accounts/join.html", {"form": form}, status=RATE_LIMITED)
        membership = request_membership(
            user=request.user,
            commune=form.cleaned_data["commune"],
            message=form.cleaned_data["message"],
            site_url=site_url(request),
        )
        if membership.status == Membership.Status.UNCONFIRMED:
            messages.warning(
                request,
                f"Confirmez d'abord votre adresse e-mail : nous venons d'envoyer un lien à {request.user.email}. "
                f"Votre demande pour {membership.commune.name} partira au Hub dès que vous l'aurez suivi.",
            )
        else:
            messages.success(request, f"Votre demande pour {membership.commune.name} est transmise au Hub.")
        return redirect("accounts:home")
    return render(request, "accounts/join.html", {"form": form})


@require_safe
@role_required(*DECIDERS)
def memberships(request):
    recent = (
        Membership.objects.exclude(status=Membership.Status.PENDING)
        .filter(roles.communes_in_scope_q(request.user, prefix="commune__"))
        .filter(decided_at__isnull=False)
        .select_related("user", "commune", "decided_by")
        .order_by("-decided_at")[:20]
    )
    invitations = (
        Membership.objects.filter(
            status=Membership.Status.APPROVED,
            invited_by__isnull=False,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
            user__is_active=True,
        )
        .filter(roles.communes_in_scope_q(request.user, prefix="commune__"))
        .select_related("user", "commune")
        .order_by("-decided_at")[:50]
    )
    return render(
        request,
        "accounts/memberships.html",
        {
            "pending": pending_requests_for(request.user),
            "recent": recent,
            "invitations": invitations,
            "form": DecisionForm(),
        },
    )


@role_required(*DECIDERS)
def membership_resend_invitation(request, pk):
    """GET: a confirmation button; POST: a fresh set-password link for an invited agent without a password."""
    membership = get_object_or_404(Membership.objects.select_related("user", "commune", "commune__departement"), pk=pk)
    if not roles.can_decide_membership(request.user, membership):
        raise Http404("Adhésion introuvable.")
    if request.method == "POST":
        try:
            resend_invitation(membership=membership, sent_by=request.user, site_url=site_url(request))
        except MembershipError as error:
            messages.warning(request, str(error))
        else:
            messages.success(
                request,
                f"Nouvelle invitation envoyée à {membership.user.email} pour {membership.commune.name} : "
                "le lien précédent ne sert plus.",
            )
        return redirect("accounts:memberships")
    return render(
        request,
        "accounts/resend_invitation.html",
        {"membership": membership, "needs_password": not membership.user.has_usable_password()},
    )


@role_required(*DECIDERS)
def membership_decide(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user", "commune", "commune__departement"), pk=pk)
    if not roles.can_decide_membership(request.user, membership):
        raise Http404("Demande introuvable.")
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if membership.status != Membership.Status.PENDING:
            messages.warning(request, "Cette demande a déjà été traitée.")
            return redirect("accounts:memberships")
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                decide_membership(
                    membership=membership,
                    decided_by=request.user,
                    approve=approve,
                    message=form.cleaned_data["message"],
                    site_url=site_url(request),
                )
            except MembershipError as error:
                messages.warning(request, str(error))
            else:
                verb = "acceptée" if approve else "refusée"
                messages.success(
                    request,
                    f"Demande de {membership.user} pour {membership.commune.name} {verb}. "
                    "L'agent est prévenu par e-mail.",
                )
            return redirect("accounts:memberships")
    return render(request, "accounts/membership_decide.html", {"membership": membership, "form": form})


@role_required(*DECIDERS)
def invite(request):
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, membership, created = invite_agent(
                invited_by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                commune=data["commune"],
                site_url=site_url(request),
            )
        except MembershipError as error:
            form.add_error("email", str(error))
        else:
            if created or not user.has_usable_password():
                messages.success(
                    request,
                    f"Invitation envoyée à {user.email} pour {membership.commune.name} : "
                    "l'agent choisira son mot de passe grâce au lien reçu.",
                )
            else:
                messages.success(
                    request, f"{user} a déjà un compte : il est ajouté à {membership.commune.name} et prévenu."
                )
            return redirect("accounts:memberships")
    return render(request, "accounts/invite.html", {"form": form})
