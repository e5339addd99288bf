"""Helpers for expertise tests: listing skills with levels and endorsing them as a person would."""

from expertise.models import ProfileSkill
from expertise.services import endorsement_create, profile_interests_set, profile_skills_set


def skill_item(profile, name: str) -> ProfileSkill:
    return ProfileSkill.objects.get(content_object=profile, tag__name=name)


def lists(profile, *names: str, level: int = ProfileSkill.Level.PRACTISED, interests: tuple = ()) -> None:
    """`profile` lists these skills (at `level`) and interests."""
    profile_skills_set(profile=profile, names=list(names), new_level=level)
    if interests:
        profile_interests_set(profile=profile, names=list(interests))


def endorse(endorser, owner, name: str):
    return endorsement_create(endorser=endorser, profile_skill_id=skill_item(owner, name).pk)
