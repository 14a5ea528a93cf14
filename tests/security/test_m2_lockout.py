"""M2: the failed-login lockout must not become a weapon behind the reverse proxy.

Before the fix, django-axes locked (username, connection address); behind the TLS proxy every client shares the
proxy's address, so five wrong passwords locked a known user out for everyone; spraying one password across many
users from one address was not limited; the admin was at /admin/ and shared the counter. All data is MADE UP.
"""

from __future__ import annotations

from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.security.helpers import link_in

PROXY = "10.0.0.2"  # the TLS proxy: every request reaches the site from there
ATTACKER = "198.51.100.66"
VICTIM = "203.0.113.7"


def behind_proxy(client_address: str) -> Client:
    """A browser at `client_address` whose requests arrive through the trusted proxy (which appends the address)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {client_address}")


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_client_address_comes_from_the_trusted_proxies_read_from_the_right(settings):
    from inclusion.accounts.security import client_ip

    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY  # no proxy trusted: the connection, never a header the client wrote
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # "6.6.6.6" was written by the client: ignored
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: only the connection is known
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="pas une adresse")) == PROXY


def test_a_locked_pair_does_not_lock_the_user_out_from_another_address(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, victim = behind_proxy(ATTACKER), behind_proxy(VICTIM)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(attacker, world.coordinator.email, "devine").status_code == 200
    assert login(attacker, world.coordinator.email, "devine").status_code == 429
    # The (coordinator, attacker's address) pair is locked, even with the right password…
    assert login(attacker, world.coordinator.email, PASSWORD).status_code == 429
    # …while the coordinator, during the attack, signs in from their own address.
    response = login(victim, world.coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_password_spraying_from_one_address_is_throttled_across_users(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    users = [make_user(f"cible{n}@inventee.invalid") for n in range(6)]
    attacker = behind_proxy(ATTACKER)
    for user in users:  # one guess per account: no account reaches the per-account limit
        assert login(attacker, user.email, "Printemps2026!").status_code == 200
    # The address is now refused, whatever the account and even with a right password.
    response = login(attacker, world.agent.email, PASSWORD)
    assert response.status_code == 200
    assert "Trop de tentatives de connexion ont échoué depuis votre connexion internet" in response.text
    assert "_auth_user_id" not in attacker.session
    # The same users are not affected from their own addresses.
    assert login(behind_proxy(VICTIM), world.agent.email, PASSWORD).status_code == 302
    assert login(behind_proxy("203.0.113.8"), users[0].email, PASSWORD).status_code == 302


def test_a_locked_out_user_gets_back_in_through_a_password_reset_link(world, settings):
    client = Client(REMOTE_ADDR=VICTIM)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, world.agent.email, "oubli")
    assert login(client, world.agent.email, PASSWORD).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": world.agent.email})
    link = link_in(mail.outbox[-1], "/mot-de-passe/nouveau/")
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "un tout nouveau mot de passe"
    assert client.post(set_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert login(client, world.agent.email, new).status_code == 302


def test_admin_is_not_at_admin_and_its_failures_lock_no_one_elsewhere(world, settings):
    assert Client().get("/admin/").status_code == 404
    admin_login = reverse("admin:login")
    assert not admin_login.startswith("/admin/")
    assert admin_login.startswith("/" + settings.ADMIN_URL)
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = behind_proxy(ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(admin_login, {"username": world.staff.email, "password": "devine"})
    assert login(behind_proxy(VICTIM), world.staff.email, PASSWORD).status_code == 302
