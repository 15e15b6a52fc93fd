from django.urls import path

from partnerships import token_views, views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("account/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.api_token_revoke_view, name="api_token_revoke"),
]
