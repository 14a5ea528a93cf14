"""Settings, all read from environment variables (see the README table)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("INCLUSION_VAR_DIR", "").strip() or BASE_DIR / "var")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (os.environ.get(name, "").strip() or default).split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    """An empty value counts as unset (docker-compose passes `VAR: ${VAR:-}` as an empty string)."""
    return os.environ.get(name, "").strip() or default


def env_int(name: str, default: int) -> int:
    return int(env_str(name) or default)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("INCLUSION_ALLOW_INSECURE_KEY"):
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "inclusion.accounts",
    "territories",
    "diagnostic",
    "inclusion.legal",
    "inclusion.jobs",
]

MIDDLEWARE = [
    # /sante/ (container health check): plain "ok" when the database answers, before the host and HTTPS checks,
    # the session and the cookies (inclusion/health.py).
    "inclusion.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control: private, no-store for signed-in users; Permissions-Policy (inclusion/middleware.py).
    "inclusion.middleware.ResponseHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compress HTML for slow rural links (static files are pre-compressed by WhiteNoise). Django pads the gzip
    # output with random bytes (BREACH mitigation) and masks the CSRF token per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # 400 for NUL and other invalid characters in the path or any GET/POST value, before any view.
    "inclusion.middleware.InputHygieneMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inclusion.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "inclusion.context_processors.site",
            ],
        },
    },
]

# Simple widgets (<input>, <textarea>, <option>) written in Python, the same markup as Django's templates
# (inclusion/forms.py; tests/test_form_renderer.py compares them).
FORM_RENDERER = "inclusion.forms.FastWidgetRenderer"

WSGI_APPLICATION = "inclusion.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) assumes spinning disks: it made the planner scan all 34 969 IFN rows
    # instead of ~300 index lookups for a Hub's dashboard (7,6 ms → 2,2 ms). 1.1 is the usual value on SSDs and when
    # the data fits in memory; `DATABASE_PG_OPTIONS` replaces these session settings (empty: the server's own).
    pg_options = env_str("DATABASE_PG_OPTIONS", "-c random_page_cost=1.1")
    if pg_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = pg_options


def cache_settings(url: str) -> dict:
    """CACHES from CACHE_URL. Empty: Django's database cache (table `inclusion_cache`, made by `createcachetable`),
    shared by every worker and kept across restarts; `redis://…`, `rediss://…` or `unix://…`: Redis or Valkey;
    `locmem://`: one cache per process (tests)."""
    url = url.strip()
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "inclusion_cache",
                "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
            }
        }
    scheme = url.split("://", 1)[0].lower()
    if scheme in {"redis", "rediss", "unix", "valkey", "valkeys"}:
        location = url.replace("valkey", "redis", 1) if scheme.startswith("valkey") else url
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
    if scheme == "locmem":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "inclusion"}}
    raise ImproperlyConfigured(f"CACHE_URL: unknown scheme {scheme!r} (expected redis://, rediss://, unix://, empty).")


CACHES = cache_settings(os.environ.get("CACHE_URL", ""))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "inclusion.accounts.security.LoginAddressThrottle",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Argon2id first (inclusion/accounts/hashers.py explains the parameters); older PBKDF2 hashes still verify and are
# upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "inclusion.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "territories:home"

# Client address: behind N reverse proxies, the N-th X-Forwarded-For entry from the right (0 = the connection's).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-axes: lock out after repeated failed logins of one account from one client address (never from all).
AXES_CLIENT_IP_CALLABLE = "inclusion.accounts.security.client_ip"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = float(env_str("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Failed sign-ins from one address across all accounts (password spraying) before that address is refused
# for the cool-off time; 0 disables.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# Rate limits ("count/period", period s, m, h or d, e.g. "20/d" or "10/15m"; "0/h" disables), counted in the cache:
# sign-ups per client address and per e-mail address; membership requests per account and per client address.
SIGNUP_RATE_LIMIT = env_str("SIGNUP_RATE_LIMIT", "5/h")
MEMBERSHIP_REQUEST_RATE_LIMIT = env_str("MEMBERSHIP_REQUEST_RATE_LIMIT", "10/d")
# The sign-up confirmation link is valid this many seconds (at most PASSWORD_RESET_TIMEOUT, 3 days).
EMAIL_CONFIRMATION_TIMEOUT = env_int("EMAIL_CONFIRMATION_TIMEOUT", 2 * 24 * 3600)

# Path of the Django admin: not the well-known /admin/ outside development.
ADMIN_URL = (env_str("ADMIN_URL", "admin/" if DEBUG else "gestion-equipe/").strip("/") or "gestion-equipe") + "/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "inclusion.staticfiles.MinifiedCompressedManifestStaticFilesStorage"
        )
    },
}

# Open data
INCLUSION_DATA_DIR = os.environ.get("INCLUSION_DATA_DIR", "")
INCLUSION_DOWNLOAD_DIR = Path(env_str("INCLUSION_DOWNLOAD_DIR") or VAR_DIR / "opendata")
# Replacement data files uploaded by staff (/equipe/donnees/), and their size limit.
INCLUSION_UPLOAD_DIR = Path(env_str("INCLUSION_UPLOAD_DIR") or VAR_DIR / "uploads")
INCLUSION_UPLOAD_MAX_BYTES = 300 * 1024 * 1024
# Optional map tiles: empty means no tile server (the map draws contours only).
INCLUSION_MAP_TILES_URL = os.environ.get("INCLUSION_MAP_TILES_URL", "")
INCLUSION_MAP_TILES_ATTRIBUTION = os.environ.get("INCLUSION_MAP_TILES_ATTRIBUTION", "")
# Public contact address shown on the accessibility statement (empty: the page says it is not set).
INCLUSION_CONTACT_EMAIL = os.environ.get("INCLUSION_CONTACT_EMAIL", "")

# Legal notice and personal data (inclusion/legal): who publishes and hosts the site, and the DPO's contact.
# Empty values are shown as "à compléter" on the public pages, so a missing one is visible to everyone.
INCLUSION_LEGAL_PUBLISHER = os.environ.get("INCLUSION_LEGAL_PUBLISHER", "")
INCLUSION_LEGAL_PUBLISHER_ADDRESS = os.environ.get("INCLUSION_LEGAL_PUBLISHER_ADDRESS", "")
INCLUSION_LEGAL_DIRECTOR = os.environ.get("INCLUSION_LEGAL_DIRECTOR", "")
INCLUSION_LEGAL_HOST = os.environ.get("INCLUSION_LEGAL_HOST", "")
INCLUSION_LEGAL_HOST_ADDRESS = os.environ.get("INCLUSION_LEGAL_HOST_ADDRESS", "")
INCLUSION_DPO_CONTACT = os.environ.get("INCLUSION_DPO_CONTACT", "")

# Retention delays in days, applied by `manage.py purge_personal_data` (docs/personal-data.md).
# rule -> (environment variable, default)
INCLUSION_RETENTION_VARIABLES = {
    "unconfirmed_signups": ("INCLUSION_RETENTION_UNCONFIRMED_SIGNUP_DAYS", 7),
    "pending_requests": ("INCLUSION_RETENTION_PENDING_REQUEST_DAYS", 90),
    "refused_requests": ("INCLUSION_RETENTION_REFUSED_REQUEST_DAYS", 30),
    "unused_invitations": ("INCLUSION_RETENTION_UNUSED_INVITATION_DAYS", 30),
    "login_attempts": ("INCLUSION_RETENTION_LOGIN_ATTEMPT_DAYS", 30),
    "login_logs": ("INCLUSION_RETENTION_LOGIN_LOG_DAYS", 180),
    "expired_sessions": ("INCLUSION_RETENTION_EXPIRED_SESSION_DAYS", 0),
}
INCLUSION_RETENTION_DAYS = {
    rule: env_int(variable, default) for rule, (variable, default) in INCLUSION_RETENTION_VARIABLES.items()
}


def tiles_csp_origin(url_template: str) -> list[str]:
    """CSP img-src entry for a tile URL template: "https://{s}.tile.example.org/{z}/…" -> "https://*.tile.example.org"."""
    from urllib.parse import urlsplit

    parts = urlsplit(url_template.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in {"http", "https"} and parts.netloc else []


# E-mail (Django 6.1 MAILERS): console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Diagnostic inclusion numérique <ne-pas-repondre@localhost>")

# Tasks framework: the imports of /equipe/donnees/ are queued in the database and run by `manage.py worker`
# (inclusion/jobs). TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend runs them in the request instead.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "inclusion.jobs.backend.DatabaseBackend")}}
# Written by `manage.py worker` at every turn of its loop; `manage.py worker --health` reads its age.
INCLUSION_WORKER_HEARTBEAT = Path(env_str("INCLUSION_WORKER_HEARTBEAT") or VAR_DIR / "worker.heartbeat")

# Security. Production (DEBUG off) gets the strict defaults; each can be overridden from the environment.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"] + env_list("INCLUSION_CSP_IMG_EXTRA") + tiles_csp_origin(INCLUSION_MAP_TILES_URL),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Messages live in the session: the site sets only the session and CSRF cookies (see the "Données personnelles" page).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Mairie computers are often shared: a session lasts one working day and ends when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
CSRF_FAILURE_VIEW = "inclusion.views.csrf_failure"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is an explicit opt-in (SECURE_HSTS_PRELOAD).

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # `manage.py worker` prints one line per task; Django's own INFO lines (enqueued, started, finished) would
    # double it. A failed task is still logged there (ERROR).
    "loggers": {"django.tasks": {"level": "WARNING"}},
}
