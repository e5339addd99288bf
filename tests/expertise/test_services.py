"""Skill levels, interests and endorsements as the services keep them: exact counts, nothing half-saved."""

import pytest
from django.core.exceptions import ValidationError

from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill
from expertise.services import (
    MAX_INTERESTS,
    endorsement_create,
    endorsement_withdraw,
    endorsements_delete,
    interest_names_parse,
    profile_expertise_set,
    profile_interests_set,
    profile_skills_set,
)
from tests.factories import ProfileFactory
from tests.helpers import endorse, lists, skill_item

pytestmark = pytest.mark.django_db

Level = ProfileSkill.Level


def _levels(profile) -> dict[str, int]:
    return dict(ProfileSkill.objects.filter(content_object=profile).values_list("tag__name", "level"))


# --- Levels ---------------------------------------------------------------------------------------


def test_new_skills_get_the_level_chosen_for_them(author):
    profile_skills_set(profile=author, names=["Python", "Go"], new_level=Level.EXPERT)

    assert _levels(author) == {"Python": Level.EXPERT, "Go": Level.EXPERT}


def test_levels_change_for_listed_skills_and_new_ones_get_the_new_level(author):
    lists(author, "Python", "Go")
    python, go = skill_item(author, "Python"), skill_item(author, "Go")

    profile_skills_set(
        profile=author,
        names=["Python", "Go", "Rust"],
        levels={python.tag_id: Level.EXPERT, go.tag_id: Level.LEARNING},
        new_level=Level.ADVANCED,
    )

    assert _levels(author) == {"Python": Level.EXPERT, "Go": Level.LEARNING, "Rust": Level.ADVANCED}
    assert skill_item(author, "Python").pk == python.pk  # changed in place: endorsements stay


def test_changing_a_level_keeps_the_endorsements(author, colleague):
    lists(colleague, "Python")
    endorse(author, colleague, "Python")
    item = skill_item(colleague, "Python")

    profile_skills_set(profile=colleague, names=["Python"], levels={item.tag_id: Level.EXPERT})

    item.refresh_from_db()
    assert (item.level, item.endorsement_count, item.endorsements.count()) == (Level.EXPERT, 1, 1)


def test_a_level_outside_the_scale_is_refused_and_nothing_changes(author):
    lists(author, "Python")
    python = skill_item(author, "Python")

    with pytest.raises(ValidationError, match="Choose a level"):
        profile_skills_set(profile=author, names=["Python", "Go"], levels={python.tag_id: 9})

    assert _levels(author) == {"Python": Level.PRACTISED}


def test_removing_a_skill_removes_its_endorsements(author, colleague):
    lists(colleague, "Python", "Go")
    endorse(author, colleague, "Python")

    profile_skills_set(profile=colleague, names=["Go"])

    assert not Endorsement.objects.exists()


# --- Interests ------------------------------------------------------------------------------------


def test_interests_are_listed_and_reused_case_insensitively(author, colleague):
    profile_interests_set(profile=colleague, names=["Running"])

    profile_interests_set(profile=author, names=["running", "Photography"])

    assert Interest.objects.count() == 2
    assert sorted(
        ProfileInterest.objects.filter(content_object=author).values_list("tag__name", flat=True)
    ) == ["Photography", "Running"]


def test_saving_fewer_interests_removes_the_rest(author):
    profile_interests_set(profile=author, names=["Running", "Chess"])

    profile_interests_set(profile=author, names=["Chess"])

    assert list(ProfileInterest.objects.values_list("tag__name", flat=True)) == ["Chess"]


def test_too_many_or_too_long_interests_are_refused():
    with pytest.raises(ValidationError, match=f"List at most {MAX_INTERESTS} interests."):
        interest_names_parse(", ".join(f"Hobby {n}" for n in range(MAX_INTERESTS + 1)))
    with pytest.raises(ValidationError, match="an interest is at most 50 characters"):
        interest_names_parse("x" * 51)


def test_skills_and_interests_save_together_or_not_at_all(author, monkeypatch):
    lists(author, "Python", interests=("Chess",))

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("expertise.services.profile_interests_set", broken)
    with pytest.raises(RuntimeError):
        profile_expertise_set(
            profile=author, skill_names=["Go"], levels={}, new_level=Level.EXPERT, interest_names=["Golf"]
        )

    assert _levels(author) == {"Python": Level.PRACTISED}


# --- Endorsements ---------------------------------------------------------------------------------


def test_endorsing_a_colleagues_skill_records_it_and_counts_it(author, colleague):
    lists(colleague, "Python")

    endorsement = endorse(author, colleague, "Python")

    item = skill_item(colleague, "Python")
    assert (endorsement.endorser, endorsement.profile_skill) == (author, item)
    assert item.endorsement_count == 1


def test_endorsing_the_same_skill_twice_is_refused_and_keeps_one_row(author, colleague):
    lists(colleague, "Python")
    endorse(author, colleague, "Python")

    with pytest.raises(ValidationError, match="You have already endorsed Colin Colleague for Python."):
        endorse(author, colleague, "Python")

    item = skill_item(colleague, "Python")
    assert Endorsement.objects.filter(profile_skill=item).count() == 1
    assert item.endorsement_count == 1


def test_the_database_allows_one_endorsement_per_skill_and_person(author, colleague):
    from django.db import IntegrityError, transaction

    lists(colleague, "Python")
    item = skill_item(colleague, "Python")
    Endorsement.objects.create(profile_skill=item, endorser=author)

    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(profile_skill=item, endorser=author)


def test_endorsing_your_own_skill_is_refused_and_nothing_is_saved(author):
    lists(author, "Python")

    with pytest.raises(ValidationError, match="You can't endorse your own skill."):
        endorse(author, author, "Python")

    assert not Endorsement.objects.exists()
    assert skill_item(author, "Python").endorsement_count == 0


def test_a_deactivated_person_cannot_endorse(author, colleague):
    lists(colleague, "Python")
    author.user.is_active = False
    author.user.save()

    with pytest.raises(ValidationError, match="Your account is deactivated"):
        endorse(author, colleague, "Python")

    assert not Endorsement.objects.exists()


def test_skills_of_someone_who_left_cannot_be_endorsed(author, colleague):
    lists(colleague, "Python")
    colleague.user.is_active = False
    colleague.user.save()

    with pytest.raises(ValidationError, match="Colin Colleague no longer works here"):
        endorse(author, colleague, "Python")

    assert skill_item(colleague, "Python").endorsement_count == 0


def test_endorsing_a_skill_that_was_removed_is_refused(author, colleague):
    lists(colleague, "Python")
    gone = skill_item(colleague, "Python").pk
    profile_skills_set(profile=colleague, names=[])

    with pytest.raises(ValidationError, match="That skill is no longer listed."):
        endorsement_create(endorser=author, profile_skill_id=gone)


def test_withdrawing_an_endorsement_removes_it_and_lowers_the_count(author, colleague, outsider):
    lists(colleague, "Python")
    endorse(author, colleague, "Python")
    endorse(outsider, colleague, "Python")

    endorsement_withdraw(endorser=author, profile_skill_id=skill_item(colleague, "Python").pk)

    item = skill_item(colleague, "Python")
    assert list(item.endorsements.values_list("endorser", flat=True)) == [outsider.pk]
    assert item.endorsement_count == 1


def test_withdrawing_an_endorsement_never_given_is_refused_and_the_count_stays(author, colleague, outsider):
    lists(colleague, "Python")
    endorse(outsider, colleague, "Python")

    with pytest.raises(ValidationError, match="You had not endorsed Colin Colleague for Python."):
        endorsement_withdraw(endorser=author, profile_skill_id=skill_item(colleague, "Python").pk)

    assert skill_item(colleague, "Python").endorsement_count == 1


def test_counts_stay_equal_to_the_endorsements_through_gives_withdrawals_and_admin_removal(colleague):
    lists(colleague, "Python", "Go")
    people = [ProfileFactory() for _ in range(6)]
    for person in people:
        endorse(person, colleague, "Python")
    for person in people[:2]:
        endorse(person, colleague, "Go")
    for person in people[:3]:
        endorsement_withdraw(endorser=person, profile_skill_id=skill_item(colleague, "Python").pk)
    endorse(people[0], colleague, "Python")
    endorsements_delete(
        endorsement_ids=list(Endorsement.objects.filter(endorser=people[5]).values_list("pk", flat=True))
        + list(Endorsement.objects.filter(endorser=people[1]).values_list("pk", flat=True))
    )

    for item in ProfileSkill.objects.filter(content_object=colleague):
        assert item.endorsement_count == item.endorsements.count()
    assert (
        skill_item(colleague, "Python").endorsement_count,
        skill_item(colleague, "Go").endorsement_count,
    ) == (
        3,
        1,
    )
