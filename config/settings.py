"""Settings for the section 75 agreements service.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL (unset = SQLite file in the project folder), SECRET_KEY, DEBUG, ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from config import logs

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DJANGO_REQUIRE_SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off in production.")
    SECRET_KEY = "insecure-development-key-only-for-local-use-never-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "partnerships",
    "documents",
    "agreements",
    "budgets",
    "governance",
    "django.contrib.humanize",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc's files, served as our own static files
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",  # /healthz and /readyz answer before host checks and sign-in
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_structlog.middlewares.RequestMiddleware",  # request id, user and partner on every log line
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.database_errors.DatabaseUnavailableMiddleware",  # a lost database connection: "try again", 503
]

AUTHENTICATION_BACKENDS = [
    "partnerships.oidc.backend.OrganisationAccountBackend",  # does nothing unless OIDC_* are set
    "partnerships.backends.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",  # unset or empty: SQLite
        # Keep a connection per worker thread between requests (a new PostgreSQL connection costs
        # more than most pages), checked before reuse so a restarted database is reconnected.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "config.sqlite"  # Django's, batching by the real parameter limit
    # Serialise writers: each transaction takes the write lock when it starts, so two saves
    # never interleave and neither fails with "database is locked" half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_root"
STATICFILES_DIRS = [BASE_DIR / "static"]
GOVUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "govuk-frontend" / "dist"
if GOVUK_FRONTEND_DIST.exists():
    STATICFILES_DIRS.append(("govuk", GOVUK_FRONTEND_DIST / "govuk"))

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Security. Production sets DEBUG off and the variables documented in the README. ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY", False):
    # The council's reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# Content Security Policy: our own scripts, styles, fonts and images only; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Sign in with the organisation's account (OpenID Connect, mozilla-django-oidc): one provider per
# deployment, all from the environment; none set = no button, local sign-in only. docs/security.md.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")  # optional: claims come from the ID token
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")  # optional: sign out at the provider too
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_REQUIRE_EMAIL_VERIFIED = env_bool("OIDC_REQUIRE_EMAIL_VERIFIED", True)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation")
OIDC_SUPPORT_CONTACT = os.environ.get("OIDC_SUPPORT_CONTACT", "")
OIDC_CLOCK_LEEWAY_SECONDS = int(os.environ.get("OIDC_CLOCK_LEEWAY_SECONDS", "60"))
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for id_token_hint when signing out at the provider
OIDC_TIMEOUT = 10
_oidc_set = [name for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_ISSUER", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT") if globals()[name]]
if _oidc_set and len(_oidc_set) < 6:
    raise RuntimeError(f"Sign-in with an organisation account is half configured: only {', '.join(_oidc_set)} are set.")

# Signing out is a form POST answered by a redirect to the provider, which form-action governs.
for _endpoint in (OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_LOGOUT_ENDPOINT):
    if _endpoint:
        _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint))
        if _origin not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]:
            CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)

# Repeated failed sign-ins: lock the username from that address for a while (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_WHITELIST_CALLABLE = "partnerships.backends.is_organisation_sign_in"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

# Uploaded and kept files live in the database, where every app node sees them and the database
# backup holds them (documents/storage.py, docs/deployment.md); FILE_STORAGE=filesystem keeps them
# under MEDIA_ROOT instead, for a single node.
STORAGES = {
    "default": {
        "BACKEND": (
            "django.core.files.storage.FileSystemStorage"
            if os.environ.get("FILE_STORAGE", "database") == "filesystem"
            else "documents.storage.DatabaseStorage"
        )
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_AUTOREFRESH = DEBUG

# Shared by every app node: the cache (rendered history diffs) is Redis when REDIS_URL is set,
# this process's memory otherwise. Sessions are in the database, so a user signed in on one node
# is signed in on all, and Redis going away only makes history pages slower (config/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "s75"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Generated PDFs are kept in that cache by their HTML's digest (documents.pdf.render_pdf), for 7 days
# by default; only with Redis, as without it each worker's own memory would hold the files. 0: off.
PDF_CACHE_SECONDS = int(os.environ.get("PDF_CACHE_SECONDS", str(7 * 24 * 3600) if REDIS_URL else "0"))

# JSON lines with a request id on every line of a request (config/logs.py); LOG_FORMAT=console
# for people reading a terminal.
logs.configure()
LOGGING = logs.logging_dict(
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    json=os.environ.get("LOG_FORMAT", "console" if DEBUG else "json") != "console",
)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = True

# --- The REST API under /api/v1/ (config/api_urls.py; docs/api.md). ---
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(8 * 1024 * 1024)))  # 10,000 lines fit in ~3 MB
API_MAX_BULK_LINES = 10_000
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnerships.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browsable docs, signed in
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["partnerships.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "partnerships.api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "partnerships.api.errors.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,  # money as "4388588.00", never a float
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Section 75 agreements API",
    "DESCRIPTION": (
        "Read partners, agreements, schedules, budget lines, history and boards; write budget lines "
        "through the same checks as the pages and imports. Authenticate with a personal token from "
        "/account/api-tokens/ as `Authorization: Bearer s75_…`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "REDOC_DIST": "SIDECAR",  # from drf-spectacular-sidecar's static files: no CDN
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BudgetTypeEnum": "agreements.models.budget_line.BudgetType",
        "BudgetStatusEnum": "agreements.models.budget_line.BudgetStatus",
        "PartnerKindEnum": "partnerships.models.PartnerKind",
        "RevisionKindEnum": "documents.models.RevisionKind",
    },
}


# --- Email (reminders and digests, `manage.py send_reminders`). EMAIL_URL, such as
# smtp://user:password@smtp.example.org:587?tls=1 (or ?ssl=1; user and password percent-encoded),
# or the EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL
# variables; with neither, email is printed on the console (development).
def email_from_environment(environ) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    smtp = "django.core.mail.backends.smtp.EmailBackend"
    if environ.get("EMAIL_URL"):
        url = urlsplit(environ["EMAIL_URL"])
        if url.scheme not in {"smtp", "smtps"}:
            raise ValueError(f"EMAIL_URL must start smtp:// or smtps://, not {url.scheme}://")
        query = {key: values[-1].lower() in {"1", "true", "yes", "on"} for key, values in parse_qs(url.query).items()}
        use_ssl = url.scheme == "smtps" or query.get("ssl", False)
        return {
            "EMAIL_BACKEND": smtp, "EMAIL_HOST": url.hostname or "localhost",
            "EMAIL_PORT": url.port or (465 if use_ssl else 25),
            "EMAIL_HOST_USER": unquote(url.username or ""), "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
            "EMAIL_USE_TLS": query.get("tls", False), "EMAIL_USE_SSL": use_ssl,
        }
    if environ.get("EMAIL_HOST"):
        flag = lambda name: environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}  # noqa: E731
        return {
            "EMAIL_BACKEND": smtp, "EMAIL_HOST": environ["EMAIL_HOST"], "EMAIL_PORT": int(environ.get("EMAIL_PORT", "25")),
            "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""), "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": flag("EMAIL_USE_TLS"), "EMAIL_USE_SSL": flag("EMAIL_USE_SSL"),
        }
    return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


globals().update(email_from_environment(os.environ))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Section 75 agreements <no-reply@localhost>")
# Where users write for help, to report an accessibility problem or to give feedback (help and
# accessibility pages, the phase banner). Set it to the team that runs this deployment.
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "section75-support@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")  # links in emails and calendar events
# What's due: a period's monitoring return is due this many working days after the period ends.
MONITORING_RETURN_WORKING_DAYS = int(os.environ.get("MONITORING_RETURN_WORKING_DAYS", "10"))
