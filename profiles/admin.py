from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from profiles.admin_import import hr_import_urls
from profiles.models import Department, Location, Profile, User


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
    list_display = ["display_name", "job_title", "department", "location", "manager", "digest_opt_in"]
    list_filter = ["department", "location", "digest_opt_in", "user__is_active"]
    search_fields = ["display_name", "job_title", "user__email"]
    list_select_related = ["department", "location", "manager"]
    autocomplete_fields = ["manager", "user"]
    raw_id_fields = []

    def get_urls(self):
        # The HR export upload lives at /admin/profiles/profile/import/ (profiles/admin_import.py).
        return hr_import_urls(self) + super().get_urls()
