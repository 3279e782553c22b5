"""Read-only admin views of the log: operators can look, nobody can change."""

from django.contrib import admin

from agora.audit.models import LogEntry, TreeHead


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor_kind", "actor_id", "organization", "action",
                    "decision", "purpose"]
    list_filter = ["action", "decision", "actor_kind"]
    search_fields = ["=actor_id", "=subject", "=organization", "=resource_id"]
    exclude = ["leaf_hash"]


@admin.register(TreeHead)
class TreeHeadAdmin(ReadOnlyAdmin):
    list_display = ["size", "signed_at"]
    exclude = ["root_hash", "signature"]
