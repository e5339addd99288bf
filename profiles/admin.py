from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from common.admin import RecordAdminMixin
from profiles.admin_import import hr_import_urls
from profiles.models import Department, ImportRun, Location, Profile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "is_superuser", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "profile__display_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone"]
    search_fields = ["name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "job_title", "department", "location", "manager"]
    list_filter = ["department", "location", "user__is_active"]
    search_fields = ["display_name", "job_title", "user__email"]
    list_select_related = ["department", "location", "manager"]
    autocomplete_fields = ["manager", "user"]
    raw_id_fields = []

    def get_urls(self):
        # The HR export upload lives at /admin/profiles/profile/import/ (profiles/admin_import.py).
        return hr_import_urls(self) + super().get_urls()


@admin.register(ImportRun)
class ImportRunAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Read-only: the record of each HR import is written by profiles.hr_import and never edited."""

    list_display = [
        "started_at",
        "source",
        "file_name",
        "actor_email",
        "full",
        "outcome",
        "created",
        "updated",
        "deactivated",
        "reactivated",
        "error_count",
    ]
    list_filter = ["outcome", "source", "full"]
    search_fields = ["file_name", "actor_email"]
    date_hierarchy = "started_at"
    ordering = ["-started_at", "-id"]
    fields = [
        ("started_at", "finished_at"),
        ("actor", "actor_email"),
        ("source", "file_name", "full"),
        "outcome",
        "message",
        ("rows", "created", "updated", "unchanged"),
        ("deactivated", "reactivated", "departments_created", "locations_created"),
        "error_count",
        "error_lines",
    ]
    readonly_fields = [name for row in fields for name in (row if isinstance(row, tuple | list) else [row])]

    @admin.display(description="Error lines")
    def error_lines(self, run: ImportRun) -> str:
        lines = list(run.errors)
        if run.error_count > len(lines):
            lines.append(f"... and {run.error_count - len(lines):,} more (not kept)")
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "None"
