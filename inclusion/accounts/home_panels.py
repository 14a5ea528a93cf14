"""What other apps add to the "Mon espace" page, without the accounts app importing them.

The accounts app sits below the diagnostic app (territories ← inclusion ← diagnostic): "Mon espace" shows an agent's
diagnostics, but the accounts code must not import `diagnostic`. An app registers a provider at start-up (in its
AppConfig.ready); the home view merges what each provider returns into its template context.
"""

from __future__ import annotations

from collections.abc import Callable

# provider(user=..., role=..., memberships=[Membership, ...]) -> extra context for accounts/home.html
HomeProvider = Callable[..., dict]

_providers: list[HomeProvider] = []


def register(provider: HomeProvider) -> HomeProvider:
    """Add a provider (once, usable as a decorator)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def context_for(*, user, role: str, memberships: list) -> dict:
    context: dict = {}
    for provider in _providers:
        context.update(provider(user=user, role=role, memberships=memberships))
    return context
