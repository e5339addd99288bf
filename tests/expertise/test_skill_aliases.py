"""Skill aliases: an admin says k8s = Kubernetes once, and "k8s" then means Kubernetes wherever a skill
is typed, filtered, searched or linked to."""

import re

import pytest
from django.test import Client

from expertise.models import Endorsement, ProfileSkill, Skill, SkillAlias
from feed import services as feed
from tests.factories import ProfileFactory, UserFactory
from tests.helpers import signed_in, skill_give

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser() -> Client:
    admin = ProfileFactory(display_name="Ada Admin", user=UserFactory(is_superuser=True, is_staff=True))
    return signed_in(admin)


def _alias_add(browser: Client, name: str, skill: Skill):
    return browser.post("/admin/expertise/skillalias/add/", {"name": name, "skill": skill.pk})


@pytest.fixture
def kubernetes(admin_browser, author) -> Skill:
    skill_give(author, "Kubernetes", level=ProfileSkill.Level.EXPERT)
    skill = Skill.objects.get(name="Kubernetes")
    assert _alias_add(admin_browser, "k8s", skill).status_code == 302
    return skill


def _listed(profile) -> list[str]:
    return sorted(ProfileSkill.objects.filter(content_object=profile).values_list("tag__name", flat=True))


def test_typing_an_alias_on_a_profile_lists_the_skill_once(kubernetes, colleague):
    browser = signed_in(colleague)
    response = browser.post("/skills/mine/", {"skills": "k8s, Kubernetes, Go", "interests": ""})

    assert response.status_code == 302
    assert _listed(colleague) == ["Go", "Kubernetes"]
    assert not Skill.objects.filter(name__iexact="k8s").exists()


def test_the_directory_filter_takes_the_alias(kubernetes, author, colleague_client):
    ProfileFactory(display_name="Nia Nobody")

    page = colleague_client.get("/people/", {"skill": "K8S"}).content.decode()

    assert author.display_name in page
    assert "Nia Nobody" not in page


def test_the_alias_address_leads_to_the_skill_page(kubernetes, colleague_client):
    response = colleague_client.get("/skills/k8s/")

    assert response.status_code == 302
    assert response["Location"] == "/skills/kubernetes/"


def test_searching_the_alias_finds_the_skill_its_people_and_posts_that_name_it(kubernetes, author, colleague):
    feed.post_create(author=author, body="Our Kubernetes upgrade went well")
    browser = signed_in(colleague)

    page = browser.get("/search/", {"q": "k8s"}).content.decode()

    skills = re.search(r'id="results-skills".*?</section>', page, re.S).group(0)
    assert "Kubernetes" in skills
    people = re.search(r'id="results-people".*?</section>', page, re.S).group(0)
    assert author.display_name in people
    assert "upgrade went well" in page
    assert "Did you mean" not in page  # an alias is a name, not a typo


def test_experts_for_the_alias_are_the_skills_experts(kubernetes, author, colleague_client):
    page = colleague_client.get("/search/experts/", {"topic": "k8s"}).content.decode()

    assert author.display_name in page


def test_an_alias_named_like_a_listed_skill_moves_its_people_to_the_skill(admin_browser, author, colleague):
    """People listed "k8s" before the alias existed: they keep their level and endorsements."""
    outsider = ProfileFactory(display_name="Owen Ops")
    skill_give(author, "Kubernetes", level=ProfileSkill.Level.PRACTISED)
    skill_give(author, "k8s", level=ProfileSkill.Level.EXPERT)  # both: the higher level stays
    skill_give(colleague, "k8s", level=ProfileSkill.Level.ADVANCED)
    listed = ProfileSkill.objects.get(content_object=colleague, tag__name="k8s")
    Endorsement.objects.create(profile_skill=listed, endorser=outsider)
    kubernetes = Skill.objects.get(name="Kubernetes")

    assert _alias_add(admin_browser, "k8s", kubernetes).status_code == 302

    assert _listed(author) == ["Kubernetes"]
    assert ProfileSkill.objects.get(content_object=author).level == ProfileSkill.Level.EXPERT
    moved = ProfileSkill.objects.get(content_object=colleague)
    assert (moved.tag_id, moved.level) == (kubernetes.pk, ProfileSkill.Level.ADVANCED)
    assert list(moved.endorsements.values_list("endorser", flat=True)) == [outsider.pk]
    kubernetes.refresh_from_db()
    assert kubernetes.people_count == 2
    assert not Skill.objects.filter(name="k8s").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "This field is required"),
        ("kubernetes", "not its own name"),
        ("K8S", "already an alias"),
    ],
)
def test_an_alias_that_cannot_be_is_refused_with_the_reason(kubernetes, admin_browser, name, message):
    response = _alias_add(admin_browser, name, kubernetes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(SkillAlias.objects.values_list("name", flat=True)) == ["k8s"]


def test_only_admins_can_manage_aliases(kubernetes, colleague):
    response = _alias_add(signed_in(colleague), "kube", kubernetes)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not SkillAlias.objects.filter(name="kube").exists()
