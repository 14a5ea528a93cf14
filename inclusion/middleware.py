"""Request and response hygiene for every page.

- InputHygieneMiddleware: a path, GET or POST name or value carrying a character no form accepts (NUL, other C0
  controls, lone surrogates; see inclusion.inputs) gets a French 400 page before any view or database sees it
  (PostgreSQL refuses NUL in text and would answer 500).
- ResponseHygieneMiddleware: `Cache-Control: private, no-store` on every response to a signed-in user (pages and
  private downloads: PDF, CSV, spreadsheets) unless the view set its own Cache-Control, so that a shared mairie
  computer's browser keeps no copy; a `Permissions-Policy` that turns off the browser features the site never uses.
"""

from __future__ import annotations

from django.conf import settings

from inclusion.inputs import invalid_character
from inclusion.views import bad_request

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def _carries_invalid_character(request) -> bool:
    if invalid_character(request.path_info):
        return True
    querydicts = [request.GET]
    if request.method == "POST":
        querydicts.append(request.POST)
    for querydict in querydicts:
        for key, values in querydict.lists():
            if invalid_character(key) or any(invalid_character(value) for value in values):
                return True
    return False


class InputHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_invalid_character(request):
            return bad_request(request, reason="invalid_character")
        return self.get_response(request)


class ResponseHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY))
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
