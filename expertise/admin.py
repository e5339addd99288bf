from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from common.admin import ViewOnlyAdminMixin
from expertise import services
from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill, Skill, SkillAlias


class TagWithPeopleAdmin(admin.ModelAdmin):
    """A skill or interest, with how many profiles list it."""

    list_display = ["name", "slug", "people"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_people=Count("profile_items"))

    @admin.display(ordering="_people")
    def people(self, obj) -> int:
        return obj._people


@admin.register(Skill)
class SkillAdmin(TagWithPeopleAdmin):
    pass


@admin.register(ProfileSkill)
class ProfileSkillAdmin(admin.ModelAdmin):
    list_display = ["content_object", "tag", "level", "endorsement_count", "added_at"]
    list_filter = ["level", "tag"]
    search_fields = ["content_object__display_name", "tag__name"]
    list_select_related = ["content_object", "tag"]
    autocomplete_fields = ["content_object", "tag"]
    # Kept equal to the Endorsement rows by expertise.services; editing it by hand would break that.
    readonly_fields = ["endorsement_count"]


@admin.register(Endorsement)
class EndorsementAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read and remove only: endorsements are given by colleagues, and removal keeps counts exact."""

    list_display = ["endorser", "profile_skill", "created_at"]
    search_fields = ["endorser__display_name", "profile_skill__content_object__display_name"]
    list_select_related = ["endorser", "profile_skill__content_object", "profile_skill__tag"]
    date_hierarchy = "created_at"

    def delete_model(self, request, obj) -> None:
        services.endorsements_delete(endorsement_ids=[obj.pk])

    def delete_queryset(self, request, queryset) -> None:
        services.endorsements_delete(endorsement_ids=list(queryset.values_list("pk", flat=True)))


@admin.register(Interest)
class InterestAdmin(TagWithPeopleAdmin):
    pass


@admin.register(ProfileInterest)
class ProfileInterestAdmin(admin.ModelAdmin):
    list_display = ["content_object", "tag"]
    list_filter = ["tag"]
    search_fields = ["content_object__display_name", "tag__name"]
    list_select_related = ["content_object", "tag"]
    autocomplete_fields = ["content_object", "tag"]


class SkillAliasForm(forms.ModelForm):
    class Meta:
        model = SkillAlias
        fields = ["name", "skill"]

    def clean_name(self) -> str:
        return services.skill_alias_name_clean(name=self.cleaned_data["name"], alias_id=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        skill, name = cleaned.get("skill"), cleaned.get("name")
        if skill is not None and name and skill.name.lower() == name.lower():
            raise ValidationError("An alias is another name for the skill, not its own name.")
        return cleaned


@admin.register(SkillAlias)
class SkillAliasAdmin(admin.ModelAdmin):
    """k8s = Kubernetes: an alias means its skill wherever skills are typed, filtered or searched.
    Saving an alias that a skill is already named moves that skill's people onto its target."""

    form = SkillAliasForm
    list_display = ["name", "skill"]
    search_fields = ["name", "skill__name"]
    autocomplete_fields = ["skill"]

    def save_model(self, request, obj, form, change):
        services.skill_alias_save(alias=obj)
