from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fgc.accounts.models import ApiToken, Council, Membership, User


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
    readonly_fields = ["hint", "created", "last_used"]
    fields = ["user", "name", "hint", "created", "last_used", "revoked"]

    def has_add_permission(self, request) -> bool:
        return False  # issued with ApiToken.issue() so the raw token is shown once
