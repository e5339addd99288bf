"""Admin building blocks the apps share."""


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
