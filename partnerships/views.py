"""Sign in and out with Django's own views; no self-registration."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from partnerships.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass
