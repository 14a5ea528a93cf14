"""The legal pages ("Mentions légales", "Données personnelles"): linked from every page, filled from the settings,
"à compléter" when a setting is missing, and only the session and CSRF cookies. Data is MADE UP (tests/accounts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.builders import PASSWORD
from tests.test_url_permissions import build_dataset, client_for, resolve_urls

LEGAL_SETTINGS = {
    "INCLUSION_LEGAL_PUBLISHER": "Mairie de Saint-Exemple (inventée)",
    "INCLUSION_LEGAL_PUBLISHER_ADDRESS": "1 place de la Mairie, 99001 Saint-Exemple",
    "INCLUSION_LEGAL_DIRECTOR": "Camille Exemple, maire",
    "INCLUSION_LEGAL_HOST": "Hébergeur Imaginaire SAS",
    "INCLUSION_LEGAL_HOST_ADDRESS": "2 rue des Serveurs, 99000 Nulle-Part",
    "INCLUSION_DPO_CONTACT": "dpo@saint-exemple.invalid",
}
EMPTY_LEGAL = dict.fromkeys(LEGAL_SETTINGS, "")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "agent", "coordinator", "staff"])
def test_every_html_page_links_both_legal_pages(role):
    data = build_dataset()
    client = client_for(role, data)
    notice, policy = reverse("legal:legal_notice"), reverse("legal:personal_data_policy")
    checked, missing = 0, []
    for name, url in resolve_urls(data).items():
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if "<html" not in html:  # htmx fragments
            continue
        checked += 1
        if f'href="{notice}"' not in html or f'href="{policy}"' not in html:
            missing.append(name)
    assert checked >= 10
    assert not missing, f"pages without the legal links in their footer: {missing}"


@pytest.mark.django_db
def test_legal_notice_shows_the_settings(client, settings):
    for name, value in LEGAL_SETTINGS.items():
        setattr(settings, name, value)
    html = client.get(reverse("legal:legal_notice")).content.decode()
    for value in LEGAL_SETTINGS.values():
        assert value in html
    assert "À compléter" not in html
    assert "Directeur de la publication" in html and "Hébergement" in html


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_missing_legal_settings_are_visible_placeholders(client, settings, debug):
    settings.DEBUG = debug
    for name, value in EMPTY_LEGAL.items():
        setattr(settings, name, value)
    settings.INCLUSION_LEGAL_HOST = LEGAL_SETTINGS["INCLUSION_LEGAL_HOST"]
    html = client.get(reverse("legal:legal_notice")).content.decode()
    assert "5 mentions obligatoires ne sont pas renseignées" in html
    assert "À compléter : nom et fonction du directeur de la publication (réglage INCLUSION_LEGAL_DIRECTOR)" in html
    assert "INCLUSION_LEGAL_HOST)" not in html
    assert ("site de développement" in html) is debug
    html = client.get(reverse("legal:personal_data_policy")).content.decode()
    assert "À compléter : adresse e-mail ou postale du délégué à la protection des données" in html


@pytest.mark.django_db
def test_personal_data_page_states_retention_from_settings_and_dpo(client, settings):
    settings.INCLUSION_DPO_CONTACT = LEGAL_SETTINGS["INCLUSION_DPO_CONTACT"]
    settings.INCLUSION_RETENTION_DAYS = {**settings.INCLUSION_RETENTION_DAYS, "pending_requests": 45, "login_logs": 1}
    html = client.get(reverse("legal:personal_data_policy")).content.decode()
    assert "dpo@saint-exemple.invalid" in html
    assert "demande sans réponse : 45 jours" in html
    assert "Adresse jamais confirmée : compte et demande supprimés 7 jours après l'inscription" in html
    assert "journal des connexions : 1 jour<" in html
    for words in ("mission d'intérêt public", "sessionid", "csrftoken", "bandeau", "CNIL", "Sous-traitants"):
        assert words in html
    assert reverse("accounts:personal_data") in html


@pytest.mark.django_db
def test_a_signed_in_journey_sets_only_the_session_and_csrf_cookies(client, world):
    seen = set()
    for response in (
        client.get(reverse("accounts:login")),
        client.post(reverse("accounts:login"), {"username": world.agent.email, "password": PASSWORD}),
        client.get(reverse("accounts:home")),
        client.post(reverse("accounts:personal_data"), {"first_name": "Alice", "last_name": "Agent-Corrigée"}),
        client.get(reverse("accounts:personal_data")),  # shows the "nom corrigé" message
    ):
        seen |= set(response.cookies)
    assert "Votre nom est corrigé." in response.content.decode()
    assert seen == {"sessionid", "csrftoken"}


@pytest.mark.django_db
@pytest.mark.parametrize("tiles", ["", "https://{s}.tuiles.example.org/{z}/{x}/{y}.png"])
def test_the_map_tile_server_is_named_when_there_is_one(client, settings, tiles):
    settings.INCLUSION_MAP_TILES_URL = tiles
    html = client.get(reverse("legal:personal_data_policy")).content.decode()
    assert ("serveur, tuiles.example.org : en affichant une carte" in html) is bool(tiles)
    assert ("votre navigateur ne contacte que ce site" in html) is not bool(tiles)
