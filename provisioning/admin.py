from django.contrib import admin, messages
from django.http import HttpRequest

from profiles.models import User
from provisioning import services
from provisioning.models import ScimEvent, ScimGroup, ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Create a token for the identity provider (shown once), revoke it when no longer needed."""

    list_display = ["name", "key_prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    fields = ["name"]
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: ScimToken | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ScimToken, form, change: bool) -> None:
        creator = request.user if isinstance(request.user, User) else None
        token, key = services.token_create(name=obj.name, created_by=creator)
        obj.pk = token.pk
        messages.warning(
            request,
            f"The token for {token.name}: {key} — copy it into the provider's SCIM settings now; "
            "Hive keeps only its hash and cannot show it again.",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset) -> None:
        for token in queryset:
            services.token_revoke(token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s): the provider's calls now get 401.")


@admin.register(ScimGroup)
class ScimGroupAdmin(admin.ModelAdmin):
    """Link a provider group to a Hive group: its members then keep that group's membership."""

    list_display = ["display_name", "role_group", "community", "created_at"]
    search_fields = ["display_name"]
    fields = ["display_name", "role_group", "community"]
    readonly_fields = ["display_name", "role_group"]
    autocomplete_fields = ["community"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the provider creates groups

    def save_model(self, request: HttpRequest, obj: ScimGroup, form, change: bool) -> None:
        if obj.role_group_id is not None:
            return  # a role group's name decides what it grants
        services.group_link(group=obj, community=obj.community)


@admin.register(ScimEvent)
class ScimEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "resource", "resource_id", "token"]
    list_filter = ["action", "resource"]
    search_fields = ["resource_id"]
    readonly_fields = ["at", "token", "action", "resource", "resource_id", "detail"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ScimEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ScimEvent | None = None) -> bool:
        return False
