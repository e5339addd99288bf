from django.contrib import admin

from profiles.selectors import viewer_profile
from recognition import services
from recognition.models import (
    AllowanceRule,
    Badge,
    BadgeAward,
    CompanyValue,
    Kudos,
    KudosRecipient,
    PointsAccount,
    PointsEntry,
    RecognitionSettings,
    Redemption,
    Reward,
)


@admin.register(CompanyValue)
class CompanyValueAdmin(admin.ModelAdmin):
    list_display = ["name", "emoji", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["name"]


class KudosRecipientInline(admin.TabularInline):
    model = KudosRecipient
    fields = ["recipient", "points"]
    readonly_fields = ["recipient", "points"]
    extra = 0
    can_delete = False


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    """Read-only: a kudos moves points, so it changes only through recognition.services."""

    list_display = ["id", "giver", "points_each", "is_private", "created_at"]
    list_filter = ["is_private", "values", "created_at"]
    search_fields = ["giver__display_name", "message"]
    list_select_related = ["giver"]
    fields = ["giver", "values", "message", "points_each", "is_private", "post", "created_at"]
    readonly_fields = ["giver", "values", "message", "points_each", "is_private", "post", "created_at"]
    inlines = [KudosRecipientInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PointsEntryInline(admin.TabularInline):
    model = PointsEntry
    fields = ["created_at", "kind", "amount", "kudos", "period", "note"]
    readonly_fields = ["created_at", "kind", "amount", "kudos", "period", "note"]
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PointsAccount)
class PointsAccountAdmin(admin.ModelAdmin):
    """Read-only: balances change only with their ledger rows (recognition.services)."""

    list_display = ["profile", "allowance", "balance", "updated_at"]
    search_fields = ["profile__display_name", "profile__user__email"]
    list_select_related = ["profile"]
    readonly_fields = ["profile", "allowance", "balance", "updated_at"]
    inlines = [PointsEntryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecognitionSettings)
class RecognitionSettingsAdmin(admin.ModelAdmin):
    """One row: the allowance, its reset day, the caps, whether a value is required, the manager boost."""

    list_display = ["__str__", "monthly_allowance", "reset_day", "cap_per_recipient", "daily_kudos_cap"]

    def has_add_permission(self, request) -> bool:
        return not RecognitionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AllowanceRule)
class AllowanceRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "profile", "group", "department", "amount"]
    list_select_related = ["profile", "group", "department"]
    raw_id_fields = ["profile"]
    search_fields = ["profile__display_name", "group__name", "department__name"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cost", "stock", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    """Read-only here: approve or reject at /kudos/rewards/requests/, which refunds and tells the person."""

    list_display = ["profile", "reward", "cost", "status", "requested_at", "decided_by"]
    list_filter = ["status", "reward"]
    list_select_related = ["profile", "reward", "decided_by"]
    search_fields = ["profile__display_name", "reward__name"]
    readonly_fields = [
        "profile",
        "reward",
        "cost",
        "status",
        "note",
        "requested_at",
        "decided_at",
        "decided_by",
    ]
    date_hierarchy = "requested_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    """Rule badges are awarded by the recognition.badges_award task; "manual" badges are given below."""

    list_display = ["name", "emoji", "rule", "threshold", "value", "tag", "is_active", "position"]
    list_editable = ["is_active", "position"]
    list_filter = ["rule", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["tag"]  # a "go-to person for #tag" badge: the award task makes them, one per #tag


@admin.register(BadgeAward)
class BadgeAwardAdmin(admin.ModelAdmin):
    """Adding an award here gives the badge by hand (through recognition.services: audited, and the person
    is told); awards are not edited afterwards."""

    list_display = ["badge", "profile", "awarded_at", "awarded_by"]
    list_filter = ["badge"]
    search_fields = ["profile__display_name", "badge__name"]
    list_select_related = ["badge", "profile", "awarded_by"]
    autocomplete_fields = ["profile"]
    fields = ["badge", "profile", "note"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        actor = viewer_profile(request)
        services.badge_give(badge=obj.badge, profile=obj.profile, actor=actor, note=obj.note)
        saved = BadgeAward.objects.get(badge=obj.badge, profile=obj.profile)
        obj.pk, obj.awarded_at = saved.pk, saved.awarded_at
