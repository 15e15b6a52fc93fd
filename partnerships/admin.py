"""Partners, each user's partner shown and edited on the user's admin page, and API tokens (revoke only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import ApiToken, Partner, PartnerSignInRule, Profile, RoleSignInRule
from partnerships.tokens import api_token_revoke


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: find them by user, see when they were used, revoke them.

    Only the token's public prefix is shown; its hash is never on the page (it is not a secret
    anyone could use, but there is nothing to gain from showing it). Tokens are created by their
    users at /account/api-tokens/ or with `manage.py api_token`, where the token is shown once, so
    they cannot be added here; revoking keeps the record, so they cannot be deleted either.
    """

    list_display = ["name", "user", "shown_prefix", "created_at", "expires_on", "last_used_at", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "expires_on"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "name", "prefix"]
    list_select_related = ["user"]
    fields = ["name", "user", "shown_prefix", "created_at", "expires_on", "last_used_at", "revoked_at", "state"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Token starts")
    def shown_prefix(self, token: ApiToken) -> str:
        return f"s75_{token.prefix}_…"

    @admin.display(description="State")
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return f"Revoked {token.revoked_at:%-d %B %Y}"
        if token.expires_on is not None and token.expires_on < timezone.localdate():
            return f"Expired {token.expires_on:%-d %B %Y}"
        return "Active"

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        live = list(queryset.filter(revoked_at__isnull=True))
        for token in live:
            api_token_revoke(token=token)
        self.message_user(request, f"Revoked {len(live)} token{'s' if len(live) != 1 else ''}.", messages.SUCCESS)
