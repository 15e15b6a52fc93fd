"""EMAIL_URL or the EMAIL_* variables; the console backend when neither is set."""

import pytest

from config.settings import email_from_environment

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_email_url_with_tls_and_an_encoded_password():
    got = email_from_environment({"EMAIL_URL": "smtp://reminders%40council.gov.uk:p%40ss%2Fword@smtp.example.org:587?tls=1"})
    assert got == {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": 587,
                   "EMAIL_HOST_USER": "reminders@council.gov.uk", "EMAIL_HOST_PASSWORD": "p@ss/word",
                   "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}


def test_smtps_means_ssl_on_465():
    got = email_from_environment({"EMAIL_URL": "smtps://smtp.example.org"})
    assert (got["EMAIL_PORT"], got["EMAIL_USE_SSL"], got["EMAIL_USE_TLS"]) == (465, True, False)


def test_the_email_variables():
    got = email_from_environment({"EMAIL_HOST": "mail.nhs.example", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "true",
                                  "EMAIL_HOST_USER": "s75", "EMAIL_HOST_PASSWORD": "secret"})
    assert got == {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "mail.nhs.example", "EMAIL_PORT": 2525, "EMAIL_HOST_USER": "s75",
                   "EMAIL_HOST_PASSWORD": "secret", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}


def test_console_when_unset():
    assert email_from_environment({}) == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_a_wrong_scheme_is_named():
    with pytest.raises(ValueError, match="EMAIL_URL must start smtp:// or smtps://, not http://"):
        email_from_environment({"EMAIL_URL": "http://smtp.example.org"})
