"""Badges earned by rules from real contribution, awarded idempotently after commit and nightly, given by
hand by admins, and shown (explained) on a profile."""

import threading

import pytest
from django.db import connection

from feed.services import answer_mark, comment_create
from notifications.models import Kind, Notification
from recognition import services
from recognition.models import Badge, BadgeAward
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _give(giver, recipients, values, message="Thanks", **kwargs):
    return services.kudos_give(giver=giver, recipients=recipients, values=values, message=message, **kwargs)


def _badges(profile) -> set[str]:
    return set(BadgeAward.objects.filter(profile=profile).values_list("badge__slug", flat=True))


def test_first_kudos_earns_the_giver_first_thanks_once_and_they_are_told(
    author, colleague, teamwork, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):  # the task runs after commit (eager here)
            _give(author, [colleague], [teamwork])

    assert _badges(author) == {"first-kudos-given"}
    assert _badges(colleague) == set()
    note = Notification.objects.get(recipient=author, kind=Kind.BADGE)
    assert note.summary == "You earned the 🎉 First thanks badge: Gave their first kudos to a colleague."
    assert note.url == author.get_absolute_url()


def test_five_public_kudos_for_a_value_make_a_champion_private_ones_do_not_count(
    author, colleague, teamwork, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            _give(author, [colleague], [teamwork])
        _give(author, [colleague], [teamwork], is_private=True)
    assert f"value-{teamwork.pk}" not in _badges(colleague)

    with django_capture_on_commit_callbacks(execute=True):
        _give(ProfileFactory(), [colleague], [teamwork])

    assert f"value-{teamwork.pk}" in _badges(colleague)
    assert Badge.objects.get(slug=f"value-{teamwork.pk}").name == "Champion of Teamwork"


def test_a_kudos_awards_its_giver_and_recipients_the_post_and_helper_badges_they_earned_since(
    author, colleague, teamwork, django_capture_on_commit_callbacks
):
    # Before the badge rules for #tags and connectors, the run after a kudos checked every rule for its
    # people; then only the kudos rules, so a first post or a fifth best answer waited for the night.
    PostFactory(author=author, body="Hello Hive")
    for n in range(5):
        question = PostFactory(author=author, body=f"How do I {n}?", kind="question")
        answer = comment_create(post_id=question.pk, author=colleague, body="Like this")
        answer_mark(post_id=question.pk, comment_id=answer.pk, actor=author)

    with django_capture_on_commit_callbacks(execute=True):  # the task runs after commit (eager here)
        _give(author, [colleague], [teamwork])

    assert _badges(author) == {"first-kudos-given", "first-post"}
    assert _badges(colleague) == {"helper"}
    assert Notification.objects.get(recipient=author, kind=Kind.BADGE).summary == (
        "You earned 2 badges: 🎉 First thanks, ✍️ First post."
    )


def test_the_award_run_after_a_kudos_takes_the_same_queries_for_one_person_or_twenty(teamwork):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.badges_ensure()
    counted = []
    for size in (1, 20):
        people = [ProfileFactory() for _ in range(size)]
        for person in people:
            PostFactory(author=person, body="Hi")
        with CaptureQueriesContext(connection) as queries:
            assert services.badges_award(profile_ids=[p.pk for p in people]) == size
        counted.append(len(queries))
    assert counted[0] == counted[1] <= 16


def test_nightly_run_awards_post_and_best_answer_badges_and_a_rerun_changes_nothing(author, colleague):
    PostFactory(author=author, body="Hello Hive")
    for n in range(5):
        question = PostFactory(author=author, body=f"How do I {n}?", kind="question")
        answer = comment_create(post_id=question.pk, author=colleague, body="Like this")
        answer_mark(post_id=question.pk, comment_id=answer.pk, actor=author)
    left = ProfileFactory(user__is_active=False)
    PostFactory(author=left, body="Bye")

    awarded = services.badges_award()

    assert {"first-post"} <= _badges(author) and "helper" in _badges(colleague)
    assert _badges(left) == set()  # people who left earn nothing new
    told = Notification.objects.filter(kind=Kind.BADGE).count()
    assert awarded == BadgeAward.objects.count() == told
    assert services.badges_award() == 0
    assert BadgeAward.objects.count() == Notification.objects.filter(kind=Kind.BADGE).count() == told


def test_a_removed_answer_does_not_count_towards_helper(author, colleague):
    for n in range(5):
        question = PostFactory(author=author, body=f"Q{n}?", kind="question")
        answer = comment_create(post_id=question.pk, author=colleague, body="A")
        answer_mark(post_id=question.pk, comment_id=answer.pk, actor=author)
    answer.removed_at = question.created_at
    answer.save()

    services.badges_award()

    assert "helper" not in _badges(colleague)


def test_admin_gives_a_manual_badge_once_audited_and_the_person_is_told(author, colleague):
    badge = Badge.objects.create(
        slug="hackathon", name="Hackathon winner", description="Won the 2026 hackathon."
    )

    assert services.badge_give(badge=badge, profile=colleague, actor=author, note="Best demo") is True
    assert services.badge_give(badge=badge, profile=colleague, actor=author) is False

    award = BadgeAward.objects.get(badge=badge, profile=colleague)
    assert award.awarded_by == author and award.note == "Best demo"
    assert Notification.objects.filter(recipient=colleague, kind=Kind.BADGE).count() == 1


def test_profile_shows_badges_explained_on_hover_and_hides_retired_ones(author, colleague):
    shown = Badge.objects.create(
        slug="mentor", name="Mentor", emoji="🧭", description="Mentored three newcomers."
    )
    retired = Badge.objects.create(slug="old", name="Old badge", description="Gone.", is_active=False)
    services.badge_give(badge=shown, profile=colleague, actor=author)
    services.badge_give(badge=retired, profile=colleague, actor=author)

    page = signed_in(author).get(f"/people/{colleague.pk}/").content.decode()

    assert 'title="Mentored three newcomers."' in page and "Mentor" in page
    assert "Old badge" not in page


@pytest.mark.django_db(transaction=True)
def test_two_award_runs_at_once_award_and_tell_each_person_once(teamwork):
    givers = [ProfileFactory() for _ in range(6)]
    star = ProfileFactory()
    from recognition.models import Kudos, KudosRecipient

    for giver in givers:  # kudos without the after-commit award: rows only
        kudos = Kudos.objects.create(giver=giver, message="x", is_private=True)
        KudosRecipient.objects.create(kudos=kudos, recipient=star, giver=giver)
    results, errors = [], []

    def run():
        try:
            results.append(services.badges_award())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert sum(results) == 6  # each giver's first-kudos badge, once between the two runs
    assert BadgeAward.objects.filter(badge__slug="first-kudos-given").count() == 6
    assert Notification.objects.filter(kind=Kind.BADGE).count() == 6
