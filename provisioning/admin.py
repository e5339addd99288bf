from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from profiles.models import User
from profiles.roles import ROLE_GROUPS
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


class LinkReviewFilter(admin.SimpleListFilter):
    title = "link"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needed", "Needs review (renamed by the provider)")]

    def queryset(self, request, queryset):
        return queryset.exclude(renamed_from="") if self.value() == "needed" else queryset


class ScimGroupForm(forms.ModelForm):
    class Meta:
        model = ScimGroup
        fields = ["role_group", "community"]

    def clean(self):
        data = super().clean()
        if data.get("role_group") and data.get("community"):
            raise ValidationError(
                "A provider group grants a role or keeps a Hive group's membership, not both."
            )
        return data


@admin.register(ScimGroup)
class ScimGroupAdmin(admin.ModelAdmin):
    """Link a provider group to a Hive role or Hive group: its members then hold that role or keep that
    group's membership. A linked group the provider renamed is flagged until an admin saves it."""

    form = ScimGroupForm
    list_display = ["display_name", "link_review", "role_group", "community", "created_at"]
    list_filter = [LinkReviewFilter]
    search_fields = ["display_name"]
    fields = ["display_name", "renamed_from", "role_group", "community"]
    readonly_fields = ["display_name", "renamed_from"]
    autocomplete_fields = ["community"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the provider creates groups

    @admin.display(description="Link review", ordering="renamed_from")
    def link_review(self, obj: ScimGroup) -> str:
        return f"Renamed from “{obj.renamed_from}”: check the link" if obj.renamed_from else ""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "role_group":
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_GROUPS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        group = self.get_object(request, object_id)
        if group is not None and group.renamed_from and request.method == "GET":
            messages.warning(
                request,
                f"The provider renamed “{group.renamed_from}” to “{group.display_name}”. Its members still "
                "get what the link gives them: change the link, or save to keep it.",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: ScimGroup, form, change: bool) -> None:
        services.group_link(group=obj, community=obj.community, role_group=obj.role_group)


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
