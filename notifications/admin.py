from django.contrib import admin

from notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "summary", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["recipient__display_name", "summary"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["profile", "kind", "channel"]
    list_filter = ["kind", "channel"]
    raw_id_fields = ["profile"]
