"""Partners, and each user's partner shown and edited on the user's admin page."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import Partner, PartnerSignInRule, Profile, RoleSignInRule


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History pages are read-only, as every document's are (`documents.admin.HistoryAdmin`).

    Partnerships sits below the kernel, so the two rules are written out here:
    SIMPLE_HISTORY_REVERT_DISABLED only hides the button, so a POST to a historical record's page
    is refused too.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("History cannot be changed.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(ReadOnlyHistoryAdmin):
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


@admin.register(PartnerSignInRule)
class PartnerSignInRuleAdmin(ReadOnlyHistoryAdmin):
    """Email domain or group → partner, for sign-in with the organisation's account (read at each sign-in)."""

    list_display = ["value", "match", "partner"]
    list_filter = ["match", "partner"]
    search_fields = ["value", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]


@admin.register(RoleSignInRule)
class RoleSignInRuleAdmin(ReadOnlyHistoryAdmin):
    """Group → role, for sign-in with the organisation's account; in no group means viewer."""

    list_display = ["group", "role", "partner"]
    list_filter = ["role", "partner"]
    search_fields = ["group"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
