from django.contrib import admin

from common.admin import RecordAdminMixin
from moderation.models import AuditEntry, Case, Flag


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    readonly_fields = ["flagger", "reason", "note", "created_at"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "content_type",
        "object_id",
        "content_author",
        "status",
        "flag_count",
        "opened_at",
        "decided_by",
    ]
    list_filter = ["status", "content_type", "opened_at"]
    search_fields = ["excerpt", "content_author__display_name"]
    list_select_related = ["content_type", "content_author", "decided_by"]
    readonly_fields = [
        "content_type",
        "object_id",
        "content_author",
        "excerpt",
        "flag_count",
        "opened_at",
        "decided_by",
        "decided_at",
    ]
    inlines = [FlagInline]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["case", "flagger", "reason", "created_at"]
    list_filter = ["reason", "created_at"]
    search_fields = ["flagger__display_name", "note"]
    list_select_related = ["case__content_type", "flagger"]
    raw_id_fields = ["case", "flagger"]


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Read-only: the audit trail is only ever appended to."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "actor__display_name"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
