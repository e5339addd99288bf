"""Every change to someone's listed skills."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from taggit.utils import parse_tags

from expertise.models import ProfileSkill, Skill
from profiles.models import Profile

MAX_SKILLS = 30
MAX_SKILL_LENGTH = 50


def skill_names_parse(raw: str) -> list[str]:
    """'Python, "Data science", kubernetes' -> distinct names, as taggit parses tag input."""
    names = []
    seen = set()
    for name in parse_tags(raw):
        name = " ".join(name.split())
        if len(name) > MAX_SKILL_LENGTH:
            raise ValidationError(
                f"“{name[:20]}…” is too long: a skill is at most {MAX_SKILL_LENGTH} characters."
            )
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    if len(names) > MAX_SKILLS:
        raise ValidationError(f"List at most {MAX_SKILLS} skills.")
    return names


def skills_get_or_create(*, names: list[str]) -> list[Skill]:
    """One Skill per name, matched case-insensitively so "python" joins "Python"."""
    lowered = [n.lower() for n in names]
    existing = {s.lname: s for s in Skill.objects.annotate(lname=Lower("name")).filter(lname__in=lowered)}
    skills = []
    for name in names:
        skill = existing.get(name.lower())
        if skill is None:
            skill = Skill(name=name)
            skill.save()  # TagBase.save picks a unique slug
            existing[name.lower()] = skill
        skills.append(skill)
    return skills


@transaction.atomic
def profile_skills_set(*, profile: Profile, names: list[str]) -> list[Skill]:
    """Replace the skills listed on a profile."""
    skills = skills_get_or_create(names=names)
    keep = {s.pk for s in skills}
    ProfileSkill.objects.filter(content_object=profile).exclude(tag_id__in=keep).delete()
    have = set(ProfileSkill.objects.filter(content_object=profile).values_list("tag_id", flat=True))
    ProfileSkill.objects.bulk_create(
        [ProfileSkill(content_object=profile, tag=s) for s in skills if s.pk not in have]
    )
    return skills
