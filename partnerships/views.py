"""Sign in and out with Django's own views; no self-registration."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from partnerships import oidc
from partnerships.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation_sign_in"] = oidc.is_configured()
        context["organisation_name"] = settings.OIDC_PROVIDER_NAME
        return context


class SignOutView(auth_views.LogoutView):
    """Signs out here and, for someone who signed in with their organisation's account, at the provider."""

    def post(self, request, *args, **kwargs):
        at_provider = oidc.provider_sign_out_url(request)  # read before the session is cleared
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response
