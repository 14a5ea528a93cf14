"""Who is asking, and how often: client address behind trusted proxies, rate limits, e-mail confirmation tokens.

- `client_ip(request)`: the connection's address, or, behind `TRUSTED_PROXY_COUNT` reverse proxies, the address the
  outermost trusted proxy saw (X-Forwarded-For read from the right, so a client cannot choose it). django-axes uses it
  (AXES_CLIENT_IP_CALLABLE), so failed logins lock a (user, address) pair, never a user from every address.
- `LoginAddressThrottle`: an authentication backend placed first that refuses any sign-in from an address that made
  too many failed attempts across all accounts (password spraying), whatever the account.
- `rate_limited(...)`: fixed-window counters in the cache for sign-ups and membership requests.
"""

from __future__ import annotations

import ipaddress
import re
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Sum
from django.utils import timezone
from django.utils.http import base36_to_int

RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _valid_ip(value: str) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the TRUSTED_PROXY_COUNT-th X-Forwarded-For entry from the right."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(entries) < count:  # did not come through every trusted proxy: only the connection is known
        return remote
    return _valid_ip(entries[-count]) or remote


def parse_rate(value: str) -> tuple[int, int]:
    """Parse a rate: 5/h gives (5, 3600), 20/10m gives (20, 600); 0/h disables the limit."""
    match = RATE_RE.match(value or "")
    if not match:
        raise ImproperlyConfigured(f"Invalid rate {value!r}: expected e.g. '5/h', '20/d' or '10/15m'.")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * PERIODS[unit]


def rate_limited(scope: str, identifiers: list[str], rate: str) -> bool:
    """Count one hit for each identifier in `scope`; True when any of them is over the rate (the hit is refused).

    Fixed windows in the default cache (use a shared cache when several processes serve the site).
    """
    limit, window = parse_rate(rate)
    if limit <= 0:
        return False
    bucket = int(time.time() // window)
    keys = [f"ratelimit:{scope}:{identifier}:{bucket}" for identifier in identifiers if identifier]
    if any((cache.get(key) or 0) >= limit for key in keys):
        return True
    for key in keys:
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, window)
    return False


def address_failures(ip: str) -> int:
    """Failed sign-ins from `ip` across all accounts during the lockout cool-off (django-axes records)."""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class LoginAddressThrottle:
    """Authentication backend listed first: an address over LOGIN_ADDRESS_FAILURE_LIMIT failures is refused.

    Raising PermissionDenied stops Django's backend loop, so no password is checked; the sign-in form then says
    why (request.login_address_throttled). Users signing in from any other address are not affected. It has no
    get_user(): it never signs anyone in, and test clients' force_login() skips it.
    """

    def authenticate(self, request, **credentials):
        if request is None or settings.LOGIN_ADDRESS_FAILURE_LIMIT <= 0:
            return None
        if address_failures(client_ip(request)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.login_address_throttled = True
            raise PermissionDenied
        return None


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Single-use, expiring link proving that the person reads the address: it changes once the address is
    confirmed or the password changes, and expires after EMAIL_CONFIRMATION_TIMEOUT seconds."""

    key_salt = "inclusion.accounts.security.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed = "" if user.email_confirmed_at is None else user.email_confirmed_at.replace(microsecond=0)
        return f"{user.pk}{user.password}{user.email}{confirmed}{timestamp}"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        timestamp = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - timestamp <= settings.EMAIL_CONFIRMATION_TIMEOUT


email_confirmation_token = EmailConfirmationTokenGenerator()
