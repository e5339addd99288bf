from django.contrib import admin

from analytics.models import ActiveDay, DailyRollup


@admin.register(DailyRollup)
class DailyRollupAdmin(admin.ModelAdmin):
    list_display = [
        "day",
        "department",
        "active_users",
        "posts",
        "comments",
        "reactions",
        "kudos",
        "computed_at",
    ]
    list_filter = ["department", "day"]
    list_select_related = ["department"]
    date_hierarchy = "day"


@admin.register(ActiveDay)
class ActiveDayAdmin(admin.ModelAdmin):
    list_display = ["day", "profile"]
    list_filter = ["day"]
    search_fields = ["profile__display_name"]
    list_select_related = ["profile"]
    raw_id_fields = ["profile"]
    date_hierarchy = "day"
