"""The two steps of signing in with the organisation's account: off to the provider, and back.

mozilla-django-oidc's views, answering 404 while sign-in with an organisation account is not
configured, and showing a page that says why (and whom to ask) instead of a bare redirect or 400.
"""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from mozilla_django_oidc import views as oidc_views

from partnerships import oidc
from partnerships.oidc.backend import try_again_message

logger = logging.getLogger("partnerships.oidc")


class ConfiguredOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not oidc.is_configured():
            raise Http404("Sign-in with an organisation account is not set up.")
        return super().dispatch(request, *args, **kwargs)


class OrganisationSignInView(ConfiguredOnlyMixin, oidc_views.OIDCAuthenticationRequestView):
    pass


class OrganisationSignInCallbackView(ConfiguredOnlyMixin, oidc_views.OIDCAuthenticationCallbackView):
    def get(self, request):
        if request.GET.get("error"):
            logger.warning("Sign-in with an organisation account refused by the provider: %r", request.GET["error"][:100])
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # for example a replayed, forged or already used state
            logger.warning("Sign-in with an organisation account refused: %s", error)
            return self.refused(try_again_message())

    def login_failure(self):
        refusal = getattr(self.request, "oidc_refusal", None)
        if refusal is None and not self.request.GET.get("error"):
            logger.warning("Sign-in with an organisation account refused: no sign-in under way in this session (state unknown), or no user")
        return self.refused(refusal.message if refusal else try_again_message())

    def refused(self, message: str):
        return render(self.request, "registration/sign_in_refused.html", {"message": message}, status=403)
