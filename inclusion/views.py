"""Site-wide error pages rendered with the request (French, strict CSP nonce, the signed-in user's menu)."""

from __future__ import annotations

from django.shortcuts import render


def bad_request(request, exception=None, *, reason: str = ""):
    """400: a request the site cannot read (handler400, and InputHygieneMiddleware for invalid characters)."""
    return render(request, "400.html", {"reason": reason}, status=400)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the form's security token is missing or expired (often a page left open too long)."""
    return render(request, "403_csrf.html", status=403)
