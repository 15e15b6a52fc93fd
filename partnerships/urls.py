from django.urls import path

from partnerships import due_views, info_views, token_views, views
from partnerships.oidc import views as oidc_views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    # mozilla-django-oidc's URL names, which its views reverse.
    path("sign-in/oidc/", oidc_views.OrganisationSignInView.as_view(), name="oidc_authentication_init"),
    path("sign-in/oidc/callback/", oidc_views.OrganisationSignInCallbackView.as_view(), name="oidc_authentication_callback"),
    path("account/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.api_token_revoke_view, name="api_token_revoke"),
    path("due/", due_views.due, name="due"),
    path("due/<str:key>.ics", due_views.due_item_ics, name="due_item_ics"),
    path("calendar/<str:token>.ics", due_views.calendar_feed, name="calendar_feed"),
    path("account/", due_views.account, name="account"),
    path("accessibility/", info_views.accessibility, name="accessibility"),
    path("help/", info_views.help_page, name="help"),
    path("account/calendar/new-address/", due_views.calendar_address_regenerate, name="calendar_address_regenerate"),
]
