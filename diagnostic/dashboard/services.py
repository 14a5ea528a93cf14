"""Writes of the Hub coordinators' follow-up: review comments on a commune's diagnostic."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from diagnostic import access
from diagnostic.models import ReviewComment
from inclusion.accounts.models import Membership, User

logger = logging.getLogger(__name__)

MAX_REVIEW_LENGTH = 5000


class ReviewError(ValueError):
    pass


def agents_of(commune_id: str) -> list[str]:
    """E-mail addresses of the active, approved agents of a commune."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__commune_id=commune_id,
            memberships__status=Membership.Status.APPROVED,
        )
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def add_review(*, user, diagnostic_id: int, body: str, base_url: str = "") -> ReviewComment:
    """Add a coordinator's (or staff) review comment and tell the commune's agents by e-mail.

    Raises Http404 / PermissionDenied (via get_diagnostic_for) when the user may not review this diagnostic,
    ReviewError when the comment is empty or too long. One e-mail per agent, sent once the comment is saved.
    """
    body = (body or "").strip()
    if not body:
        raise ReviewError("Écrivez votre commentaire avant de l'envoyer.")
    if len(body) > MAX_REVIEW_LENGTH:
        raise ReviewError(f"Le commentaire dépasse {MAX_REVIEW_LENGTH} caractères.")
    with transaction.atomic():
        diagnostic = access.get_diagnostic_for(user, diagnostic_id, action=access.REVIEW)
        review = ReviewComment.objects.create(diagnostic=diagnostic, author=user, body=body)
    notify_agents(review=review, base_url=base_url)
    return review


def notify_agents(*, review: ReviewComment, base_url: str = "") -> int:
    diagnostic = review.diagnostic
    commune = diagnostic.commune
    recipients = agents_of(commune.pk)
    author = review.author
    hub = author.hub.name if author and author.hub_id else "l'équipe"
    subject = f"Nouveau commentaire sur le diagnostic {diagnostic.year} de {commune.name}"
    message = (
        f"Bonjour,\n\n{author} ({hub}) a laissé un commentaire sur le diagnostic {diagnostic.year} "
        f"de {commune.name} :\n\n{review.body}\n\n"
        f"Retrouvez-le sur votre plan d'action : {base_url}{reverse('diagnostic:plan', args=[diagnostic.pk])}\n\n"
        "Ce message est envoyé automatiquement ; répondez directement à votre Hub si besoin.\n"
    )
    sent = 0
    for email in recipients:
        try:
            sent += send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [email])
        except OSError:  # the comment is saved; a mail server outage must not lose it
            logger.exception("Review e-mail to an agent of %s failed", commune.pk)
    return sent
