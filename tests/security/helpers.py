"""Shared helpers of the security regression tests (all addresses and names are MADE UP)."""

from __future__ import annotations

import re

from django.core import mail

SIGNUP = {
    "first_name": "Jeanne",
    "last_name": "Inventée",
    "email": "jeanne@mairie-inventee.invalid",
    "password1": "un mot de passe assez long",
    "password2": "un mot de passe assez long",
    "commune": "99001",
    "message": "Secrétaire de mairie",
}


def link_in(message, path_prefix: str) -> str:
    """The path of the first link of `message` under `path_prefix` (e.g. "/inscription/confirmer/")."""
    match = re.search(rf"http://testserver({re.escape(path_prefix)}\S+/)", message.body)
    assert match, f"No {path_prefix} link in:\n{message.body}"
    return match.group(1)


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]
