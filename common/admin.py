"""Admin building blocks the apps share, and the task outbox."""

from django.contrib import admin

from common.models import OutboxTask, TextVector


class ViewOnlyAdminMixin:
    """For rows only the app writes (vectors, endorsements): admins list and read them, never add
    or edit them here. Deleting stays as the ModelAdmin says."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RecordAdminMixin(ViewOnlyAdminMixin):
    """For records (the audit trail, HR import runs): not deleted either."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Background work waiting for the broker: a row older than a few minutes means Redis or the
    relay (`common.outbox_relay`, every minute in beat) is not running."""

    list_display = ["task_name", "created_at", "attempts", "last_error"]
    list_filter = ["task_name"]
    ordering = ["created_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser  # an operator may drop work that can never run


@admin.register(TextVector)
class TextVectorAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Sentence vectors for retrieval by meaning (common.retrieval), written by the owning apps."""

    list_display = ["kind", "object_id", "model", "computed_at"]
    list_filter = ["kind", "model"]
    exclude = ["vector"]
