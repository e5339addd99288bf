"""The published moderation figures: speed (median, 90th percentile), backlog, decisions per clause,
and how often appeals overturn each moderator's decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import services
from moderation.models import Case
from moderation.selectors import moderation_figures
from profiles import roles
from tests.factories import PostFactory, ProfileFactory, in_group

pytestmark = pytest.mark.django_db


def _case_decided(*, moderator, flagger, hours_to_act, hours_to_decide, decision="remove", clause_id=None):
    case = services.flag_create(flagger=flagger, content=PostFactory(), reason="spam").case
    services.case_decide(
        case_id=case.pk, moderator=moderator, decision=decision, note="Spam", clause_id=clause_id
    )
    decided_at = timezone.now() - timedelta(hours=1)
    opened_at = decided_at - timedelta(hours=hours_to_decide)
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened_at, first_action_at=opened_at + timedelta(hours=hours_to_act), decided_at=decided_at
    )
    return case


def test_figures_give_median_and_90th_percentile_speed_and_decisions_per_clause(
    moderator, colleague, respect_clause
):
    for hours in range(1, 11):  # 1..10 hours to decide, first action after half of it
        _case_decided(
            moderator=moderator,
            flagger=colleague,
            hours_to_act=hours / 2,
            hours_to_decide=hours,
            clause_id=respect_clause.pk if hours <= 4 else None,
        )
    services.flag_create(flagger=colleague, content=PostFactory(), reason="spam")  # still waiting

    figures = moderation_figures(days=30)

    assert figures.decided == 10
    assert figures.waiting_now == 1
    assert figures.resolution == (5.0, 9.0)
    assert figures.first_action == (2.5, 4.5)
    assert figures.per_clause[0] == ("No guideline cited", {"remove": 6}, 6)
    assert figures.per_clause[1] == ("1. Be respectful (v1)", {"remove": 4}, 4)
    assert figures.backlog[-1][1] == 1


def test_figures_show_which_moderators_are_overturned_on_appeal(moderator, colleague, author):
    strict = moderator
    other = in_group(ProfileFactory(display_name="Max Moderator"), roles.MODERATORS)
    cases = [
        _case_decided(moderator=strict, flagger=colleague, hours_to_act=1, hours_to_decide=2)
        for _ in range(2)
    ]
    for case, overturn in zip(cases, [True, False], strict=True):
        services.appeal_create(case_id=case.pk, appellant=case.content_author, reason="Unfair")
        services.appeal_decide(case_id=case.pk, moderator=other, overturn=overturn, note="Reviewed")

    figures = moderation_figures(days=30)

    assert (figures.appeals, figures.overturned, figures.overturn_rate) == (2, 1, 0.5)
    mona = next(m for m in figures.moderators if m.name == "Mona Moderator")
    assert (mona.total, mona.appeals, mona.overturned, mona.overturn_rate) == (2, 2, 1, 0.5)
    assert mona.median_hours == pytest.approx(2.0)


def test_figures_page_is_for_moderators_only(moderator_client, colleague_client, moderator, colleague):
    _case_decided(moderator=moderator, flagger=colleague, hours_to_act=1, hours_to_decide=3)

    page = moderator_client.get("/moderation/figures/?days=7").content.decode()

    assert "Time to resolution" in page and "3.0 h" in page
    assert "Mona Moderator" in page
    assert colleague_client.get("/moderation/figures/").status_code == 403


def test_figures_page_runs_a_fixed_number_of_queries(
    moderator_client, moderator, colleague, django_assert_max_num_queries
):
    for n in range(6):
        _case_decided(moderator=moderator, flagger=colleague, hours_to_act=1, hours_to_decide=n + 1)
    moderator_client.get("/moderation/figures/")
    with django_assert_max_num_queries(10):
        assert moderator_client.get("/moderation/figures/").status_code == 200


def test_case_open_puts_content_in_the_queue_without_a_flag_and_leaves_an_appeal_alone(
    author, moderator, post
):
    case = services.case_open(content=post, score=2.0, why="held: new member's first post")
    assert (case.status, case.score, case.flag_count) == (Case.Status.OPEN, 2.0, 0)

    services.case_decide(case_id=case.pk, moderator=moderator, decision="warn", note="Careful")
    services.appeal_create(case_id=case.pk, appellant=author, reason="Fine")
    again = services.case_open(content=post, score=2.0)

    assert again.status == Case.Status.APPEALED
