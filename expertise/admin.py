from django.contrib import admin
from django.db.models import Count

from expertise.models import ProfileSkill, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "people"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_people=Count("profile_items"))

    @admin.display(ordering="_people")
    def people(self, obj) -> int:
        return obj._people


@admin.register(ProfileSkill)
class ProfileSkillAdmin(admin.ModelAdmin):
    list_display = ["content_object", "tag", "added_at"]
    list_filter = ["tag"]
    search_fields = ["content_object__display_name", "tag__name"]
    list_select_related = ["content_object", "tag"]
    autocomplete_fields = ["content_object", "tag"]
