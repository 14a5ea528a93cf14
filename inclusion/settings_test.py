"""Test settings: the production settings with HTTPS redirects off and a fast password hasher."""

import os

os.environ.setdefault("INCLUSION_ALLOW_INSECURE_KEY", "1")

from inclusion.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# One in-memory cache per test process: tests that do not touch the database can still clear it (tests/conftest.py).
# The database cache of production is tested in tests/test_cache.py.
CACHES = cache_settings("locmem://")  # noqa: F405
