from django.urls import path

from partnerships import due_views, views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("due/", due_views.due, name="due"),
    path("due/<str:key>.ics", due_views.due_item_ics, name="due_item_ics"),
    path("calendar/<str:token>.ics", due_views.calendar_feed, name="calendar_feed"),
    path("account/", due_views.account, name="account"),
    path("account/calendar/new-address/", due_views.calendar_address_regenerate, name="calendar_address_regenerate"),
]
