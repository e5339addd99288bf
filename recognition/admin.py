from django.contrib import admin

from recognition.models import CompanyValue, Kudos


@admin.register(CompanyValue)
class CompanyValueAdmin(admin.ModelAdmin):
    list_display = ["name", "emoji", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["name"]


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["giver", "recipient", "value", "created_at"]
    list_filter = ["value", "created_at"]
    search_fields = ["giver__display_name", "recipient__display_name", "message"]
    list_select_related = ["giver", "recipient", "value"]
    raw_id_fields = ["giver", "recipient", "post"]
    date_hierarchy = "created_at"
