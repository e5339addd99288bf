from django.contrib import admin

from digests.models import DigestSetting


@admin.register(DigestSetting)
class DigestSettingAdmin(admin.ModelAdmin):
    list_display = ["profile", "frequency", "weekday", "only_when_away", "last_seen_at"]
    list_filter = ["frequency", "weekday", "only_when_away"]
    search_fields = ["profile__display_name", "profile__user__email"]
    raw_id_fields = ["profile"]
