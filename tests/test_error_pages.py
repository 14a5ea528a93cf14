import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path

from inclusion.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("interdit/", forbidden), *site_urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_forbidden_page_is_french(client):
    response = client.get("/interdit/")
    assert response.status_code == 403
    assert "Accès refusé" in response.text
    assert '<html lang="fr">' in response.text


@pytest.mark.django_db
def test_favicon_is_served_locally(client):
    response = client.get("/static/favicon.svg")
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert body.startswith(b"<svg")
