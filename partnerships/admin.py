"""Partners, and each user's partner shown and edited on the user's admin page."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from agreements.admin import HistoryAdmin
from partnerships.models import Partner, Profile


@admin.register(Partner)
class PartnerAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "code", "successor", "active_from", "active_to"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["partner"]
    verbose_name = "partner"
    verbose_name_plural = "partner"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "partner", "role", "is_staff", "is_superuser", "is_active"]
    list_filter = [*DjangoUserAdmin.list_filter, "profile__partner"]
    list_select_related = ["profile__partner"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Partner", ordering="profile__partner__name")
    def partner(self, user) -> str:
        profile = getattr(user, "profile", None)
        return profile.partner.short_name if profile else "—"

    @admin.display(description="Role (groups)")
    def role(self, user) -> str:
        return ", ".join(group.name for group in user.groups.all()) or "—"
