"""Each skill's and interest's count of people (search, the skills page): kept as profiles change,
corrected by the hourly job."""

import pytest

from expertise.models import ProfileSkill, Skill
from expertise.services import people_counts_recount, profile_skills_set
from expertise.tasks import people_counts_recount as people_counts_recount_task
from profiles.models import User
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _count(name: str) -> int:
    return Skill.objects.get(name=name).people_count


def test_listing_and_dropping_skills_keeps_their_counts():
    ada, bo = ProfileFactory(), ProfileFactory()

    profile_skills_set(profile=ada, names=["Python", "SQL"])
    profile_skills_set(profile=bo, names=["python"])  # the same skill, spelled as it comes

    assert (_count("Python"), _count("SQL")) == (2, 1)

    profile_skills_set(profile=ada, names=["SQL", "Go"])  # drops Python, keeps SQL, adds Go

    assert (_count("Python"), _count("SQL"), _count("Go")) == (1, 1, 1)

    profile_skills_set(profile=ada, names=["SQL", "Go"], levels={})  # saved again, unchanged

    assert (_count("Python"), _count("SQL"), _count("Go")) == (1, 1, 1)


def test_skills_of_someone_who_left_are_not_counted():
    gone = ProfileFactory(user__is_active=False)

    profile_skills_set(profile=gone, names=["Python"])

    assert _count("Python") == 0


def test_a_count_that_drifted_to_zero_never_goes_negative():
    ada = ProfileFactory()
    profile_skills_set(profile=ada, names=["Python"])
    Skill.objects.filter(name="Python").update(people_count=0)

    profile_skills_set(profile=ada, names=[])

    assert _count("Python") == 0


def test_recount_follows_people_who_leave_and_come_back():
    ada, bo = ProfileFactory(), ProfileFactory()
    profile_skills_set(profile=ada, names=["Python"])
    profile_skills_set(profile=bo, names=["Python", "Go"])
    # Accounts are switched off by the HR import and admin, which expertise does not hear about.
    User.objects.filter(pk=bo.user_id).update(is_active=False)

    assert people_counts_recount() == 2
    assert (_count("Python"), _count("Go")) == (1, 0)
    assert people_counts_recount() == 0  # a second run finds nothing to change

    User.objects.filter(pk=bo.user_id).update(is_active=True)

    assert people_counts_recount_task.delay().get() == 2
    assert (_count("Python"), _count("Go")) == (2, 1)


def test_recount_counts_rows_written_past_the_services():
    ada = ProfileFactory()
    profile_skills_set(profile=ada, names=["Python"])
    python = Skill.objects.get(name="Python")
    ProfileSkill.objects.bulk_create(
        [ProfileSkill(content_object=ProfileFactory(), tag=python) for _ in range(3)]
    )

    assert _count("Python") == 1

    people_counts_recount()

    assert _count("Python") == 4


def test_interest_counts_follow_people_adding_and_dropping_them(author, colleague):
    from expertise.models import Interest
    from expertise.services import profile_interest_add, profile_interests_set

    def count(name: str) -> int:
        return Interest.objects.get(name=name).people_count

    profile_interests_set(profile=author, names=["Running", "Chess"])
    profile_interests_set(profile=colleague, names=["Running"])
    assert (count("Running"), count("Chess")) == (2, 1)

    profile_interests_set(profile=author, names=["Running"])  # Chess dropped
    assert (count("Running"), count("Chess")) == (2, 0)

    profile_interest_add(profile=author, interest=Interest.objects.get(name="Chess"))
    assert count("Chess") == 1
    assert people_counts_recount() == 0  # the services kept them right
