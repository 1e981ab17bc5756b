from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from fgc.accounts.models import ApiToken, Council, Membership, User
from fgc.accounts.tokens import revoke_token


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["council"]


@admin.register(User)
class FgcUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Role in FGC Data", {"fields": ["role"]}),
    )
    add_fieldsets = (*(UserAdmin.add_fieldsets or ()), ("Role in FGC Data", {"fields": ["role"]}))
    inlines = [MembershipInline]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["old_la_code", "name", "region_name", "current"]
    search_fields = ["old_la_code", "name", "new_la_code"]
    list_filter = ["current", "region_name"]

    def has_add_permission(self, request) -> bool:
        return False  # loaded from the standard's LA table

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["hint", "user", "name", "created", "last_used", "revoked"]
    list_filter = [("revoked", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "name", "hint"]
    # Revoking goes through the action (audited); the user and name are not re-assigned.
    readonly_fields = ["user", "hint", "created", "last_used", "revoked"]
    fields = ["user", "name", "hint", "created", "last_used", "revoked"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request) -> bool:
        # Issued on the API tokens page or by `manage.py fgc_issue_token`, which show the
        # raw token once; an admin form would have nowhere safe to show it.
        return False

    @admin.action(description="Revoke selected tokens")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = sum(revoke_token(request, t) for t in queryset.select_related("user"))
        self.message_user(
            request,
            f"Revoked {revoked} token{'s' if revoked != 1 else ''}.",
            messages.SUCCESS,
        )
