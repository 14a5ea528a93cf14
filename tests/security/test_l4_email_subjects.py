"""L4: e-mail subjects are plain text, never HTML-escaped (before the fix: « D&#x27;Artagnan »). Data MADE UP."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from tests.factories import make_commune, make_user


def test_subjects_keep_apostrophes_and_ampersands(client, world, django_capture_on_commit_callbacks):
    commune = make_commune("99002", "L'Île-d'Exemple & Environs", dep="99")
    agent = make_user("dartagnan@inventee.invalid", first_name="Charles", last_name="D'Artagnan")
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(agent)
        client.post(reverse("accounts:join"), {"commune": "99002"})
    requested = mail.outbox[-1]
    assert requested.subject == (
        "[Diagnostic inclusion numérique] Demande d'adhésion : Charles D'Artagnan pour L'Île-d'Exemple & Environs"
    )
    client.force_login(world.coordinator)
    membership = agent.memberships.get(commune=commune)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:membership_decide", args=[membership.pk]), {"decision": "approve"})
    assert mail.outbox[-1].subject == (
        "[Diagnostic inclusion numérique] Votre accès à L'Île-d'Exemple & Environs est validé"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invite"),
            {"first_name": "A", "last_name": "B", "email": "nouvelle@inventee.invalid", "commune": "99002"},
        )
    assert mail.outbox[-1].subject == (
        "[Diagnostic inclusion numérique] Invitation pour la commune de L'Île-d'Exemple & Environs"
    )
    assert not any("&#" in m.subject or "&amp;" in m.subject for m in mail.outbox)
