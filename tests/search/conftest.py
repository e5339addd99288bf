"""Search test helpers: skills with a level and endorsements, and projects, built directly."""

import pytest

from expertise.models import ProfileSkill
from expertise.services import skills_get_or_create
from profiles.models import Profile
from projects.models import Project
from tests.conftest import client_for


def skill_give(
    profile: Profile, name: str, *, level: int = ProfileSkill.Level.PRACTISED, endorsements: int = 0
):
    (skill,) = skills_get_or_create(names=[name])
    return ProfileSkill.objects.create(
        content_object=profile, tag=skill, level=level, endorsement_count=endorsements
    )


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
