"""Helpers shared by Hive's tests: signed-in browsers, skills listed and endorsed, projects, HR export
files and images. Fixtures stay in the conftest modules; plain functions live here."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from digests.models import DigestSetting
from expertise.models import ProfileSkill
from expertise.services import (
    endorsement_create,
    profile_interests_set,
    profile_skills_set,
    skills_get_or_create,
)
from profiles.models import Profile
from projects import services as project_services
from projects.models import Project

# --- Browsers ---


def client_for(client: Client, profile: Profile) -> Client:
    client.force_login(profile.user)
    return client


def signed_in(profile: Profile) -> Client:
    """A browser of its own for `profile`, so two people can act in one test."""
    return client_for(Client(), profile)


# --- Skills and interests, listed and endorsed as a person would ---


def skill_item(profile: Profile, name: str) -> ProfileSkill:
    return ProfileSkill.objects.get(content_object=profile, tag__name=name)


def lists(profile, *names: str, level: int = ProfileSkill.Level.PRACTISED, interests: tuple = ()) -> None:
    """`profile` lists these skills (at `level`) and interests."""
    profile_skills_set(profile=profile, names=list(names), new_level=level)
    if interests:
        profile_interests_set(profile=profile, names=list(interests))


def endorse(endorser, owner, name: str):
    return endorsement_create(endorser=endorser, profile_skill_id=skill_item(owner, name).pk)


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


# --- Projects ---

_project_numbers = itertools.count()


def make_project(creator, *, name=None, summary=None, tags="", **extra):
    """A project made through the real service, so member_count and the creator's lead role are right."""
    i = next(_project_numbers)
    return project_services.project_create(
        creator=creator,
        name=name or f"Project {i}",
        summary=summary or f"Summary of project number {i}.",
        tags=tags,
        **extra,
    )


def project_insert(*, name: str, summary: str, created_by: Profile, tags: list[str] = (), **extra) -> Project:
    """A project row written directly (no members, no notifications), for search tests that need
    many projects with exact fields."""
    project = Project.objects.create(name=name, summary=summary, created_by=created_by, **extra)
    if tags:
        project.tags.add(*skills_get_or_create(names=list(tags)))
    return project


# --- HR export files ---

HR_CSV_HEADER = "email,name,title,department,location,manager_email,start_date"


def hr_csv(*lines: str, header: str = HR_CSV_HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def profile_of(email: str) -> Profile:
    return Profile.objects.select_related("user", "department", "location", "manager__user").get(
        user__email=email
    )


# --- Images ---


def image_bytes(*, size=(800, 600), image_format="PNG", mode="RGB", color=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=image_format)
    return out.getvalue()


def image_upload(name="me.png", **kwargs) -> SimpleUploadedFile:
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
    fmt = kwargs.get("image_format", "PNG")
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type=content_type.get(fmt, "image/png"))


# --- The email digest ---


def digest_off(profile: Profile) -> Profile:
    """Someone who turned the email digest off: a test's poster who must not get a digest of their own."""
    DigestSetting.objects.update_or_create(
        profile=profile, defaults={"frequency": DigestSetting.Frequency.NEVER}
    )
    return profile
