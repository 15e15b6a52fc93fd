"""Settings for app nodes started on loopback by the two-node test and bench/load.py: production
settings (config.settings), with static files served from the finders so a node needs no
collectstatic, and plain HTTP. Never for a real deployment (use config.settings there).

Everything else — the database, Redis, MEDIA_ROOT, sessions, storage — comes from the environment
exactly as on a production node.
"""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405  (the default storage stays the database)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo's sign-ins load faster
