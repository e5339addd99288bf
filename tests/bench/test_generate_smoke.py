"""The scale benchmark's generator, run at a tiny size: right counts, a real org tree, usable afterwards."""

import zoneinfo

import pytest
from django.db.models import Count, F, Q

from bench.people.generate import Size, populate
from expertise.models import Endorsement, ProfileInterest, ProfileSkill, Skill
from feed.models import Post
from profiles.models import Location, Profile, User
from projects.models import Project, ProjectMember, ProjectTag
from tests.factories import ProfileFactory

SIZE = Size.scaled(employees=200, projects=20)


@pytest.fixture
def company(db):
    return populate(size=SIZE, seed=1, log=lambda line: None)


def test_generator_makes_the_requested_company(company):
    assert Profile.objects.filter(id__in=company.profile_ids).count() == SIZE.employees
    assert User.objects.filter(profile__id__in=company.profile_ids).count() == SIZE.employees
    assert Skill.objects.count() == SIZE.skills
    assert Project.objects.count() == SIZE.projects
    assert Endorsement.objects.count() == SIZE.endorsements
    assert Post.objects.count() == SIZE.posts
    per_person = ProfileSkill.objects.count() / SIZE.employees
    assert SIZE.skills_per_person - 2 <= per_person <= SIZE.skills_per_person + 2
    assert ProfileInterest.objects.count() > SIZE.employees
    assert company.counts["profiles"] == SIZE.employees


def test_managers_form_one_tree(company):
    managers = dict(zip(company.profile_ids, company.manager_ids, strict=True))
    assert managers == dict(Profile.objects.values_list("id", "manager_id"))
    roots = [pid for pid, manager in managers.items() if manager is None]
    assert len(roots) == 1
    for pid in managers:
        seen = set()
        while managers[pid] is not None:
            assert pid not in seen, "manager loop"
            seen.add(pid)
            pid = managers[pid]
        assert pid == roots[0]


def test_counters_match_their_rows(company):
    # endorsement_count and member_count are denormalised: pages trust them instead of counting.
    mismatched_skills = ProfileSkill.objects.annotate(n=Count("endorsements")).exclude(
        n=F("endorsement_count")
    )
    assert not mismatched_skills.exists()
    mismatched_projects = Project.objects.annotate(n=Count("memberships")).exclude(n=F("member_count"))
    assert not mismatched_projects.exists()
    assert not Endorsement.objects.filter(endorser=F("profile_skill__content_object")).exists()
    leads = Project.objects.annotate(leads=Count("memberships", filter=Q(memberships__role="lead")))
    assert set(leads.values_list("leads", flat=True)) == {1}
    assert ProjectTag.objects.values("content_object").distinct().count() == SIZE.projects
    assert (
        ProjectMember.objects.filter(project__created_by=F("profile"), role="lead").count() == SIZE.projects
    )


def test_locations_have_real_time_zones(company):
    for time_zone in Location.objects.values_list("time_zone", flat=True):
        zoneinfo.ZoneInfo(time_zone)


def test_ids_continue_after_the_bulk_load(company):
    # The sequences were moved past the copied ids: a normal insert does not collide.
    assert ProfileFactory().pk > max(company.profile_ids)
