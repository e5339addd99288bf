"""Search test helpers: skills with a level and endorsements, and projects, built directly."""

import pytest

from expertise.models import ProfileSkill
from expertise.services import profile_skills_set, skills_get_or_create
from profiles.models import Profile
from projects.models import Project
from tests.conftest import client_for


def skill_give(
    profile: Profile, name: str, *, level: int = ProfileSkill.Level.PRACTISED, endorsements: int = 0
):
    """The person lists the skill as they would on their profile (which keeps the skill's count of
    people); the endorsement count is set directly, without the endorsers."""
    listed = list(ProfileSkill.objects.filter(content_object=profile).values_list("tag__name", flat=True))
    profile_skills_set(profile=profile, names=[*listed, name], new_level=level)
    item = ProfileSkill.objects.get(content_object=profile, tag__name__iexact=name)
    if endorsements:
        ProfileSkill.objects.filter(pk=item.pk).update(endorsement_count=endorsements)
        item.refresh_from_db()
    return item


def project_make(*, name: str, summary: str, created_by: Profile, tags: list[str] = (), **extra) -> Project:
    project = Project.objects.create(name=name, summary=summary, created_by=created_by, **extra)
    if tags:
        project.tags.add(*skills_get_or_create(names=list(tags)))
    return project


@pytest.fixture
def viewer_client(client, colleague):
    client_for(client, colleague)
    client.get("/search/")  # the day's first request also records the viewer as active (analytics)
    return client
