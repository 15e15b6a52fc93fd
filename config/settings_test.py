"""Settings for the test suite: production settings, minus what needs HTTPS or collectstatic."""

import os

from config.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405  (the database, as in production)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing: the suite creates many users; real hashing is tested by Django itself.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-output" / "media"  # noqa: F405

# A file, not shared-cache memory, so SQLite locks behave as in production (the concurrency
# tests rely on it); and a test database name per run, so parallel runs on one PostgreSQL
# server do not trip over each other.
_run = os.environ.get("TEST_DB_SUFFIX") or str(os.getpid())
(BASE_DIR / "test-output").mkdir(exist_ok=True)  # noqa: F405  (git-ignored, so absent in a fresh clone)
if DATABASES["default"]["ENGINE"] == "config.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-output" / f"test-{_run}.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_s75_{_run}"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests: serve from the finders
# A request's started/finished lines are for production; tests that read them turn them on.
LOGGING["loggers"]["django_structlog"]["level"] = "WARNING"  # noqa: F405

PDF_CACHE_SECONDS = 0  # each test makes its own PDFs (tests/pdf/test_pdf_cache.py turns the cache on)
