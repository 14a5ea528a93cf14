"""`/sante/`: the health check of the web container (docker-compose.yml), answered before any other middleware.

It answers `ok` (text/plain, 200) when the database answers a query, `base de données indisponible` (503)
otherwise; never a page, never a cookie, `Cache-Control: no-store`. It is the first middleware, so it answers
a plain-HTTP request to 127.0.0.1 from inside the container whatever `ALLOWED_HOSTS` and `SECURE_SSL_REDIRECT`
say (both would otherwise refuse or redirect it), without session, CSRF, sign-in or lockout machinery. The
answer is the same for everyone and tells nothing about the site's data.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotAllowed

HEALTH_PATH = "/sante/"

logger = logging.getLogger("inclusion.health")


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health check: the database does not answer", exc_info=True)
        return False


def health_response(request) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        response = HttpResponseNotAllowed(["GET", "HEAD"])
    elif database_answers():
        response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse("base de données indisponible", content_type="text/plain; charset=utf-8", status=503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return health_response(request)
        return self.get_response(request)
