"""`check --deploy` is clean with the production environment documented in the README."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_the_documented_environment():
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-key-for-the-deploy-check-" + "z" * 20,
        "ALLOWED_HOSTS": "s75.example.gov.uk", "CSRF_TRUSTED_ORIGINS": "https://s75.example.gov.uk",
        "BEHIND_PROXY": "true", "SECURE_HSTS_PRELOAD": "true",
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_headers_on_a_page(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.cookies.get("csrftoken") is None or response.cookies["csrftoken"]["httponly"]
