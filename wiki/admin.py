from django.contrib import admin

from wiki.models import Page, Space, Version


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    """Where an admin chooses who writes the company wiki (its editor group)."""

    list_display = ["__str__", "edit_policy", "editor_group", "created_at"]
    list_select_related = ["community", "editor_group"]
    raw_id_fields = ["community"]


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "title", "author", "created_at", "summary", "restored_from"]
    readonly_fields = ["number", "title", "author", "created_at", "summary", "restored_from"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # versions are written by the wiki's services only


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "version", "author", "updated_at", "removed_at"]
    list_filter = ["removed_at"]
    search_fields = ["title"]
    list_select_related = ["space__community", "author"]
    raw_id_fields = ["space", "parent", "created_by", "author", "removed_by"]
    readonly_fields = ["version", "slug"]
    inlines = [VersionInline]
