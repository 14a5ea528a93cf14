"""User-scoped reads of diagnostics.

Scope (who sees a diagnostic):
- a commune agent: the diagnostics of the communes where their membership is approved;
- a Hub coordinator: the diagnostics of the communes of their Hub's départements (commune__departement__hub);
- staff: every diagnostic;
- anyone else (anonymous, pending agent, signed-in user without role): none.

Actions on a visible diagnostic:
- "view": everyone who sees it;
- "edit" (answers, plan follow-up): the commune's agents only;
- "review" (coordinator comments): the Hub's coordinator and staff.

`get_diagnostic_for` raises Http404 when the diagnostic is not visible (another commune's diagnostic) and
PermissionDenied when it is visible but the role does not allow the action. Whether a submitted diagnostic is
read-only is a separate check (`Diagnostic.is_submitted`), made by the views and services of each feature.

Views use the `diagnostic_required(action)` decorator: anonymous users are redirected to the sign-in page, the
view receives `diagnostic=` instead of the `pk` URL argument.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from diagnostic.models import Diagnostic
from inclusion.accounts import roles
from inclusion.accounts.roles import role_of  # noqa: F401  (re-exported for convenience)
from territories.models import Commune

VIEW = "view"
EDIT = "edit"
REVIEW = "review"
ACTIONS = (VIEW, EDIT, REVIEW)


def communes_for_agent(user) -> QuerySet[Commune]:
    """Communes where the user is an approved member."""
    return Commune.objects.filter(insee__in=roles.approved_commune_ids(user)).select_related("departement")


def communes_visible_to(user) -> QuerySet[Commune]:
    """Communes whose diagnostics the user may see (agent: theirs; coordinator: the Hub's; staff: all)."""
    return Commune.objects.filter(roles.communes_in_scope_q(user)).select_related("departement")


def diagnostics_visible_to(user) -> QuerySet[Diagnostic]:
    """Diagnostics the user may see (see the module docstring)."""
    if not (user and user.is_authenticated and user.is_active):
        return Diagnostic.objects.none()
    qs = Diagnostic.objects.select_related("commune", "commune__departement")
    if roles.is_staff(user):
        return qs
    if roles.is_coordinator(user):
        return qs.filter(commune__departement__hub_id=user.hub_id)
    return qs.filter(commune_id__in=roles.approved_commune_ids(user))


def can(user, diagnostic: Diagnostic, action: str = VIEW) -> bool:
    """Whether the user may perform `action` on a diagnostic (visibility included)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not diagnostics_visible_to(user).filter(pk=diagnostic.pk).exists():
        return False
    return _role_allows(user, diagnostic, action)


def role_allows(user, diagnostic: Diagnostic, action: str) -> bool:
    """Whether the user's role allows `action` on a diagnostic ALREADY loaded through `get_diagnostic_for` or
    `diagnostics_visible_to(user)` (its visibility is not checked again: one query saved per call)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    return _role_allows(user, diagnostic, action)


def _role_allows(user, diagnostic: Diagnostic, action: str) -> bool:
    if action == VIEW:
        return True
    if action == EDIT:
        return roles.is_agent_of(user, diagnostic.commune_id)
    # REVIEW
    return roles.is_staff(user) or roles.coordinates_commune(user, diagnostic.commune)


def get_diagnostic_for(user, pk, *, action: str = VIEW, for_update: bool = False) -> Diagnostic:
    """The diagnostic `pk` if the user may perform `action` on it.

    Raises Http404 when it does not exist or is not visible to the user, PermissionDenied when it is visible but
    the user's role does not allow the action.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    qs = diagnostics_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        diagnostic = qs.get(pk=pk)
    except (Diagnostic.DoesNotExist, ValueError, TypeError):
        raise Http404("Diagnostic introuvable.") from None
    if not _role_allows(user, diagnostic, action):
        raise PermissionDenied("Votre rôle ne permet pas cette action sur ce diagnostic.")
    return diagnostic


def diagnostic_required(action: str = VIEW, pk_kwarg: str = "pk"):
    """View decorator: sign-in redirect for anonymous users, then `get_diagnostic_for(action=...)`.

    The decorated view is called as `view(request, diagnostic=<Diagnostic>, **other_url_kwargs)`.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            pk = kwargs.pop(pk_kwarg)
            diagnostic = get_diagnostic_for(request.user, pk, action=action)
            return view(request, *args, diagnostic=diagnostic, **kwargs)

        return wrapper

    return decorator


def diagnostics_of_commune(user, commune: Commune) -> QuerySet[Diagnostic]:
    """The visible diagnostics of one commune, newest first (current year and history)."""
    return diagnostics_visible_to(user).filter(commune=commune).order_by("-year")


def answers_by_question(diagnostic: Diagnostic) -> dict:
    """{question key: Answer} of a diagnostic, with who last changed each one."""
    return {a.question: a for a in diagnostic.answers.select_related("updated_by")}


def resume_step(diagnostic: Diagnostic) -> int:
    """The first step (1-based) with an unanswered question, or the last step when everything is answered."""
    from diagnostic.questionnaire.definition import SECTIONS

    answered = set(diagnostic.answers.filter(value__isnull=False).values_list("question", flat=True))
    for section in SECTIONS:
        if any(q.key not in answered for q in section.questions):
            return section.number
    return len(SECTIONS)
