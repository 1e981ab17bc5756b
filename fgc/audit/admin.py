from django.contrib import admin

from fgc.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["when", "username", "action", "council_code", "path", "ip"]
    list_filter = ["action", "council_code"]
    search_fields = ["username", "path", "target_id"]
    date_hierarchy = "when"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
