from django.contrib import admin

from communities.models import Community, JoinRequest, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["profile"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "visibility", "member_count", "created_by", "created_at"]
    list_filter = ["category", "visibility"]
    search_fields = ["name", "description"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["member_count"]
    inlines = [MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["community", "profile", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["community__name", "profile__display_name"]
    list_select_related = ["community", "profile", "decided_by"]
    raw_id_fields = ["community", "profile", "decided_by"]
