"""Reads of expertise: who knows a skill, what someone knows, the most listed skills."""

from django.db.models import Count, Q

from common.pagination import Page, keyset_page
from expertise.models import Skill
from profiles.models import Profile
from profiles.selectors import active_profiles


def skill_by_slug(*, slug: str) -> Skill | None:
    return Skill.objects.filter(slug=slug).first()


def people_with_skill_page(*, skill: Skill, cursor: str | None, size: int = 30) -> Page:
    qs = active_profiles().filter(skill_items__tag=skill).select_related("department", "location")
    return keyset_page(qs, keys=("display_name", "id"), cursor=cursor, size=size, descending=False)


def skills_of(*, profile: Profile) -> list[Skill]:
    return list(Skill.objects.filter(profile_items__content_object=profile).order_by("name"))


def skills_popular(*, limit: int = 60) -> list[Skill]:
    # Count only people still here, so the number matches the list on the skill's page.
    active = Q(profile_items__content_object__user__is_active=True)
    return list(
        Skill.objects.annotate(people=Count("profile_items", filter=active))
        .filter(people__gt=0)
        .order_by("-people", "name")[:limit]
    )
