"""seed_demo: a believable company in one command, consistent with itself, and safe to run twice."""

import re
from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Avg, Count, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.test import override_settings
from django.utils import timezone

from analytics.models import ALL, ActiveDay, DailyRollup, InteractionDay, SegmentDay
from common.days import company_today, company_yesterday
from communities.models import Community, Membership
from demo.services import HISTORY_DAYS
from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill, Skill
from feed.models import Comment, Poll, PollVote, Post, PostTag, Reaction
from moderation.models import AuditEntry, Case, Flag
from profiles import roles
from profiles.models import Department, Location, Profile, User
from projects.models import Project, ProjectMember, ProjectTag, ProjectUpdate
from projects.selectors import project_look_alikes
from projects.services import project_embeddings_backfill
from recognition.models import BadgeAward, Kudos, PointsAccount, PointsEntry, Redemption
from surveys.models import Respondent, Survey
from tests.factories import ProfileFactory

# Small enough to keep each seed well under a second, big enough for every department to have a team.
EMPLOYEES = 30
PASSWORD = "hive-demo-2026"
DEMO_EMAILS = [
    "demo@example.com",
    "moderator@example.com",
    "comms@example.com",
    "newcomer@example.com",
    "admin@example.com",
]
SEEDED_MODELS = [
    User, Profile, Department, Location, Skill, ProfileSkill, Post, Comment, Reaction, Kudos,
    Case, Flag, AuditEntry, ActiveDay, DailyRollup, Endorsement, Interest, ProfileInterest,
    Project, ProjectMember, ProjectTag, ProjectUpdate, Community, Membership, PostTag, Poll, PollVote,
]  # fmt: skip


def seed(employees: int = EMPLOYEES) -> str:
    out = StringIO()
    call_command("seed_demo", employees=employees, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


@pytest.fixture(scope="class")
def company(django_db_setup, django_db_blocker) -> str:
    """Seeded once for the read-only tests of a class, in a transaction rolled back after them.

    Each test still runs in its own savepoint (pytest-django's `db`), so one test can't leak into
    the next. The value is what the command printed.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def profile_of(email: str) -> Profile:
    return Profile.objects.select_related("user").get(user__email=email)


@pytest.mark.django_db
class TestSeededCompany:
    """One seeded company, looked at from every side."""

    def test_company_has_the_size_asked_for_and_a_profile_per_account(self, company):
        assert Profile.objects.count() == EMPLOYEES
        assert User.objects.count() == EMPLOYEES
        assert not User.objects.filter(profile__isnull=True).exists()

    def test_demo_accounts_sign_in_with_the_shared_password_and_their_roles(self, company):
        users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
        assert sorted(users) == sorted(DEMO_EMAILS)
        assert all(u.check_password(PASSWORD) for u in users.values())
        assert roles.user_roles(users["demo@example.com"]) == set()
        assert roles.user_roles(users["moderator@example.com"]) == {roles.MODERATORS}
        assert roles.user_roles(users["comms@example.com"]) == {roles.COMMUNICATIONS}
        admin = users["admin@example.com"]
        assert admin.is_superuser and admin.is_staff
        assert not any(u.is_staff or u.is_superuser for e, u in users.items() if e != "admin@example.com")

    def test_console_shows_each_stage_then_the_accounts_and_the_password(self, company):
        for stage in (
            "people:",
            "skills:",
            "expertise:",
            "projects:",
            "feed:",
            "moderation:",
            "activity:",
            "analytics:",
            "recognition:",
            "celebrations:",
        ):
            assert stage in company
        assert PASSWORD in company
        for email in DEMO_EMAILS:
            assert email in company

    def test_other_employees_have_unique_firstname_lastname_addresses(self, company):
        emails = list(User.objects.exclude(email__in=DEMO_EMAILS).values_list("email", flat=True))
        assert len(emails) == len(set(emails)) == EMPLOYEES - len(DEMO_EMAILS)
        assert all(re.fullmatch(r"[a-z-]+\.[a-z-]+\d*@example\.com", e) for e in emails), emails

    def test_endorsement_counters_match_the_rows_and_nobody_endorses_themselves(self, company):
        assert Endorsement.objects.exists()
        mismatched = ProfileSkill.objects.annotate(n=Count("endorsements")).exclude(n=F("endorsement_count"))
        assert not mismatched.exists()
        assert not Endorsement.objects.filter(endorser=F("profile_skill__content_object")).exists()
        assert ProfileSkill.objects.values("level").distinct().count() > 1
        assert ProfileInterest.objects.count() == EMPLOYEES

    def test_projects_have_a_lead_members_tags_and_a_true_member_count(self, company):
        assert Project.objects.count() >= 5
        for project in Project.objects.annotate(n=Count("memberships")):
            assert project.n == project.member_count >= 1
            assert project.memberships.filter(role="lead").exists()
            assert project.tags.exists()
        assert ProjectUpdate.objects.exists()

    @pytest.mark.sentence_model
    def test_a_draft_like_a_seeded_project_shows_both_tiers_of_the_look_alike_box_with_reasons(self, company):
        project_embeddings_backfill()  # the class's seed ran with the sentence model off
        found = project_look_alikes(
            name="Chatbot on the website",
            summary="A bot that answers customers' simple questions at night and passes harder ones to "
            "the support team.",
        )
        assert [s.project.name for s in found.same] == ["Customer support chatbot"]
        assert "Support ticket triage" in [s.project.name for s in found.related]
        assert all(s.reasons for s in found.same + found.related)

    def test_groups_have_members_and_a_private_one_keeps_its_posts_inside(self, company):
        groups = Community.objects.annotate(n=Count("memberships"))
        assert groups.count() >= 3
        assert all(g.n == g.member_count >= 1 for g in groups)
        private = Community.objects.get(visibility="private")
        outsiders = Profile.objects.exclude(community_memberships__community=private)
        assert Post.objects.filter(community=private).exists()
        assert not Post.objects.filter(community=private, author__in=outsiders).exists()

    def test_company_spans_departments_and_offices_in_real_time_zones(self, company):
        departments = Department.objects.annotate(n=Count("members")).filter(n__gt=0)
        assert departments.count() >= 5
        locations = Location.objects.annotate(n=Count("members")).filter(n__gt=0)
        assert locations.count() >= 3
        for location in locations:
            ZoneInfo(location.time_zone)  # raises for a zone that doesn't exist
            assert location.time_zone != "UTC"

    def test_everyone_but_the_ceo_reports_up_to_the_ceo(self, company):
        ceo = Profile.objects.get(manager__isnull=True)
        assert "Chief Executive Officer" in ceo.job_title
        managers = dict(Profile.objects.values_list("pk", "manager_id"))
        for pk in managers:
            chain, current = [], pk
            while managers[current] is not None:
                chain.append(current)
                current = managers[current]
                assert len(chain) <= 3, "employee -> team lead -> department head -> CEO at most"
            assert current == ceo.pk
        heads = Profile.objects.filter(manager=ceo)
        assert heads.values("department").distinct().count() >= 5

    def test_profiles_have_titles_start_dates_bios_and_skills(self, company):
        assert not Profile.objects.filter(Q(job_title="") | Q(bio="") | Q(start_date__isnull=True)).exists()
        assert not Profile.objects.filter(start_date__gt=company_today()).exists()
        assert not Profile.objects.annotate(n=Count("skill_items")).filter(n__lt=2).exists()
        engineers = ProfileSkill.objects.filter(content_object__department__name="Engineering")
        assert engineers.filter(tag__name__in=["Python", "Kubernetes", "Go", "Terraform", "AWS"]).exists()

    def test_post_counters_match_their_comments_and_reactions(self, company):
        assert Comment.objects.exists() and Reaction.objects.exists()
        mismatched = Post.objects.annotate(
            # A comment held for review (moderation's rules) is counted once a moderator publishes it.
            comments_n=Count("comments", filter=Q(comments__held_at__isnull=True), distinct=True),
            reactions_n=Count("reactions", distinct=True),
        ).filter(~Q(comments_n=F("comment_count")) | ~Q(reactions_n=F("reaction_count")))
        assert list(mismatched) == []

    def test_content_is_from_the_last_year_and_replies_follow_their_posts(self, company):
        now = timezone.now()
        assert not Post.objects.filter(
            Q(created_at__gt=now) | Q(created_at__lt=now - timedelta(days=HISTORY_DAYS + 2))
        ).exists()
        assert Post.objects.filter(created_at__lt=now - timedelta(days=300)).exists()
        assert not Comment.objects.filter(created_at__lt=F("post__created_at")).exists()
        assert not Reaction.objects.filter(created_at__lt=F("post__created_at")).exists()
        assert not Reaction.objects.filter(profile=F("post__author")).exists()
        assert all(timezone.is_aware(p.created_at) for p in Post.objects.all()[:20])

    def test_kudos_come_with_their_feed_post(self, company):
        assert Kudos.objects.exists()
        for kudos in Kudos.objects.select_related("post").prefetch_related("recipients", "values"):
            assert kudos.post.kind == Post.Kind.KUDOS
            assert kudos.post.author_id == kudos.giver_id
            assert kudos.giver_id not in {p.pk for p in kudos.recipients.all()} and kudos.recipients.all()
            assert kudos.values.all()
            assert kudos.post.body == kudos.message
        assert Post.objects.filter(kind=Post.Kind.KUDOS).count() == Kudos.objects.count()

    def test_everyone_has_this_months_points_allowance_with_its_ledger_row(self, company):
        demo = profile_of("demo@example.com")
        assert PointsAccount.objects.get(pk=demo.pk).allowance > 0
        # Every balance is its ledger, after the demo's points on kudos and its redemptions.
        for kinds, field in (
            (("grant", "give", "expire"), "allowance"),
            (("receive", "redeem", "refund"), "balance"),
        ):
            ledger = Subquery(
                PointsEntry.objects.filter(account=OuterRef("pk"), kind__in=kinds)
                .values("account")
                .annotate(total=Sum("amount"))
                .values("total")
            )
            assert not PointsAccount.objects.exclude(**{field: Coalesce(ledger, 0)}).exists()

    def test_points_rewards_badges_and_the_leaderboard_are_seeded(self, company, client):
        assert Kudos.objects.filter(points_each__gt=0).exists()
        statuses = set(Redemption.objects.values_list("status", flat=True))
        assert "pending" in statuses and statuses <= {"approved", "rejected", "pending"}
        demo = profile_of("demo@example.com")
        assert BadgeAward.objects.filter(badge__rule="given").exists()
        client.force_login(demo.user)
        assert "Onboarding buddy" in client.get(f"/people/{demo.pk}/").content.decode()
        board = client.get("/kudos/leaderboard/?period=year").content.decode()
        assert "No kudos in this period yet." not in board

    def test_demo_employee_has_posts_and_kudos_received(self, company):
        demo = profile_of("demo@example.com")
        assert demo.posts.filter(kind=Post.Kind.UPDATE).count() >= 3
        assert demo.kudos_received.count() >= 3

    def test_a_year_of_kudos_with_monthly_points_badges_from_contribution_and_celebrations(self, company):
        today = timezone.localdate()
        days = {timezone.localdate(at) for at in Kudos.objects.values_list("created_at", flat=True)}
        assert min(days) <= today - timedelta(days=330)
        months = {(d.year, d.month) for d in days}
        assert len(months) >= 12  # every month of the year has kudos
        # Each month's allowance granted (and the unused part expired), dated that month, not today.
        grants = PointsEntry.objects.filter(kind="grant").values_list("period", flat=True).distinct()
        assert len(set(grants)) >= 12
        assert PointsEntry.objects.filter(kind="give", created_at__lt=timezone.now() - timedelta(days=200))
        rules = set(BadgeAward.objects.values_list("badge__rule", flat=True))
        assert {"connector", "welcomer", "tag", "given"} <= rules
        demo = profile_of("demo@example.com")
        assert BadgeAward.objects.filter(profile=demo, badge__rule="tag").exists()  # the go-to person
        assert Post.objects.filter(kind=Post.Kind.CELEBRATION).count() >= 2  # at least the two planted today
        from notifications.models import Notification

        told = Notification.objects.filter(recipient=demo, kind="celebration", read_at__isnull=True)
        assert told.exists()  # a teammate's day, this morning

    def test_the_year_has_one_source_of_kudos_at_the_months_pace(self, company):
        # Two planners once added kudos over the same year (recognition's year and the history's): about
        # 40% too many. The year before the detailed month is planned once, at the month's weekday and
        # weekend pace with the seasons; expected within Poisson noise.
        from demo.services import DAYS, KUDOS_DAYS, KUDOS_SEASON

        today = timezone.localdate()
        expected = 0.0
        for back in range(KUDOS_DAYS, DAYS, -1):
            day = today - timedelta(days=back)
            expected += EMPLOYEES * (0.016 if day.weekday() < 5 else 0.002) * KUDOS_SEASON.get(day.month, 1.0)
        before = timezone.now() - timedelta(days=DAYS + 1)
        year = Kudos.objects.filter(created_at__lt=before)
        assert 0.7 * expected <= year.count() <= 1.25 * expected, (year.count(), expected)

    def test_the_history_year_plans_no_kudos_of_its_own(self, company):
        # The year's kudos are _plan_kudos_year's alone (the history once planned its own on top of them).
        from demo.services import _Builder

        builder = _Builder(employees=EMPLOYEES, progress=lambda line: None)
        builder._plan_people()
        builder._plan_history()
        assert builder.posts and not [p for p in builder.posts if p.kind == Post.Kind.KUDOS]

    def test_connector_is_a_minoritys_badge(self, company):
        people = Profile.objects.filter(user__is_active=True).count()
        connectors = BadgeAward.objects.filter(badge__slug="connector").count()
        assert 1 <= connectors <= 0.25 * people, (connectors, people)

    @pytest.mark.parametrize("who", ["demo", "manager", "admin"])
    def test_every_recognition_page_answers_as_an_employee_a_manager_and_an_admin(self, company, client, who):
        demo = profile_of("demo@example.com")
        person = {
            "demo": demo,
            "manager": demo.manager,
            "admin": profile_of("admin@example.com"),
        }[who]
        assert person.direct_reports.exists() or who != "manager"
        client.force_login(person.user)
        kudos = Kudos.objects.filter(is_private=False).order_by("-created_at").first()
        pages = [
            "/kudos/give/", f"/kudos/{kudos.pk}/", "/kudos/leaderboard/", "/kudos/leaderboard/?period=year",
            "/kudos/rewards/", "/kudos/team/", "/kudos/preferences/", f"/people/{demo.pk}/", "/all/",
            "/notifications/",
        ]  # fmt: skip
        if who == "admin":
            pages += ["/kudos/rewards/requests/", "/kudos/rings/", "/admin/recognition/badge/",
                      "/admin/recognition/redemption/", "/admin/recognition/pointsaccount/"]  # fmt: skip
        for page in pages:  # a public kudos's own address leads to its post
            assert client.get(page, follow=True).status_code == 200, page

    @pytest.mark.newcomer_path
    def test_the_newcomer_sees_a_first_week_checklist_half_done(self, company, client):
        client.force_login(profile_of("newcomer@example.com").user)
        home = client.get("/").content.decode()
        checklist = re.search(r'<section[^>]*aria-labelledby="newcomer-title".*?</section>', home, re.S)
        assert checklist, "no checklist on the newcomer's Home"
        html = checklist.group(0)
        # Skills listed and a group joined; the photo and three more colleagues to follow still to do
        # (whether they already answered a teammate's question is left to the generator).
        assert re.search(r"[23] of 5 done", html), html
        for done in ("skills", "group"):
            assert f'<li class="muted" data-step="{done}">' in html, html
        for open_step in ("profile", "follow"):
            assert f'<li data-step="{open_step}">' in html, html
        assert "(2 of 5)" in html

    @pytest.mark.parametrize(
        "phrase", ["open enrolment benefits", "pricing page", "postmortem checkout slowdown"]
    )
    def test_what_a_newcomer_searches_for_finds_posts(self, company, client, phrase):
        client.force_login(profile_of("demo@example.com").user)
        page = client.get("/search/", {"q": phrase}).content.decode()
        found = re.search(r'id="results-content".*?</section>', page, re.S)
        assert found and "<mark>" in found.group(0), f"nothing found for {phrase!r}"

    def test_the_wiki_has_policies_and_how_tos_with_versions_and_a_private_groups_pages(
        self, company, client
    ):
        client.force_login(profile_of("demo@example.com").user)
        page = client.get("/wiki/page/expenses-policy/").content.decode()
        assert (
            "version 3" in page and "Casey Lindqvist" in page and 'href="/wiki/page/travel-policy/"' in page
        )
        assert (
            "+ - Mileage at €0.30 per km"
            in client.get("/wiki/page/expenses-policy/diff/?from=1&to=2").content.decode()
        )
        found = client.get("/search/", {"q": "vpn"}).content.decode()
        assert 'href="/wiki/page/set-up-the-vpn/"' in found
        assert "Hiring plan" not in client.get("/search/", {"q": "hiring plan toronto"}).content.decode()

    def test_questions_await_answers_and_older_ones_have_a_best_answer(self, company):
        questions = Post.objects.filter(kind=Post.Kind.QUESTION)
        answered = questions.filter(best_answer__isnull=False).select_related("best_answer")
        assert answered.exists() and questions.filter(best_answer__isnull=True).exists()
        for question in answered:
            assert question.best_answer.post_id == question.pk
            assert question.best_answer.author_id != question.author_id

    def test_the_demo_employee_is_asked_about_their_own_skills(self, company):
        from feed.selectors import open_questions_page

        demo = profile_of("demo@example.com")
        matching = open_questions_page(viewer=demo, cursor=None, with_expertise=True).pinned
        assert len(matching) >= 2
        assert all(q.author_id != demo.pk and q.best_answer_id is None for q in matching)

    def test_hashtags_in_posts_are_recorded_as_the_app_records_them(self, company):
        from feed.hashtags import hashtags_find

        tagged = Post.objects.filter(body__contains="#").prefetch_related("tags")
        assert tagged.exists()
        for post in tagged:
            assert sorted(t.name for t in post.tags.all()) == sorted(hashtags_find(post.body))
        assert PostTag.objects.count() == sum(len(hashtags_find(p.body)) for p in tagged)

    def test_the_demo_employees_home_is_what_they_follow(self, company):
        from feed.selectors import home_feed_page

        demo = profile_of("demo@example.com")
        assert demo.following_people.filter(followee=demo.manager).exists()
        assert demo.following_tags.exists()
        followed = set(demo.following_people.values_list("followee_id", flat=True))
        page = home_feed_page(viewer=demo, cursor=None)  # None would mean "follows nothing yet"
        assert page is not None
        assert any(post.author_id in followed for post in page.items)

    def test_open_polls_have_votes_that_match_their_options(self, company):
        polls = Poll.objects.all()
        assert polls.count() == 2
        for poll in polls:
            assert poll.closes_at > timezone.now()
            votes = PollVote.objects.filter(poll=poll)
            assert votes.exists()
            assert set(votes.values_list("option__poll_id", flat=True)) == {poll.pk}

    def test_flags_leave_open_cases_with_consistent_counts(self, company):
        cases = Case.objects.annotate(n=Count("flags")).filter(
            rule_hits__isnull=True
        )  # rules' cases: no flags
        assert cases.filter(status=Case.Status.OPEN).count() >= 3
        assert all(case.flag_count == case.n >= 1 for case in cases)
        assert AuditEntry.objects.filter(action="flag.create").count() == Flag.objects.count()
        assert not Flag.objects.filter(flagger=F("case__content_author")).exists()
        assert Flag.objects.filter(reason="clause", clause__version__number=1).exists()

    def test_everyone_who_posted_was_active_that_day_and_rollups_cover_the_month(self, company):
        active = set(ActiveDay.objects.values_list("profile_id", "day"))
        # Activity is recorded for the analytics' month; Hive writes celebration cards in people's names.
        month = Post.objects.filter(created_at__date__gte=company_yesterday() - timedelta(days=29))
        for author_id, created_at in month.exclude(kind=Post.Kind.CELEBRATION).values_list(
            "author_id", "created_at"
        ):
            assert (author_id, timezone.localdate(created_at)) in active

        yesterday = company_yesterday()
        company_rows = DailyRollup.objects.filter(department__isnull=True)
        assert sorted(company_rows.values_list("day", flat=True)) == [
            yesterday - timedelta(days=n) for n in range(29, -1, -1)
        ]
        assert sum(company_rows.values_list("active_users", flat=True)) > 0
        since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=30)
        until = since + timedelta(days=30)
        updates = Post.objects.filter(kind=Post.Kind.UPDATE, created_at__gte=since, created_at__lt=until)
        assert sum(company_rows.values_list("posts", flat=True)) == updates.count()

    def test_a_year_of_figures_with_adoption_growing(self, company):
        """The adoption charts have a year to show, and it grows: the first month's average daily
        active people is below the last month's."""
        company_days = SegmentDay.objects.filter(
            segment__department=ALL, segment__location=ALL, segment__tenure=ALL
        )
        yesterday = company_yesterday()
        assert company_days.count() == HISTORY_DAYS
        assert company_days.aggregate(first=Min("day"))["first"] == yesterday - timedelta(
            days=HISTORY_DAYS - 1
        )

        def mean_active(start, end):
            return company_days.filter(day__range=(start, end)).aggregate(n=Avg("active"))["n"]

        first = yesterday - timedelta(days=HISTORY_DAYS - 1)
        assert mean_active(first, first + timedelta(days=29)) < mean_active(
            yesterday - timedelta(days=29), yesterday
        )
        assert InteractionDay.objects.filter(day__lt=yesterday - timedelta(days=300)).exists()

    def test_pulse_surveys_one_closed_with_results_and_one_open_for_the_demo_employee(self, company, client):
        closed, open_one = Survey.objects.order_by("closes_at")
        assert closed.is_closed() and open_one.is_open()
        assert (
            closed.respondents >= EMPLOYEES // 3
            and Respondent.objects.filter(survey=closed).count() == closed.respondents
        )
        client.force_login(profile_of("comms@example.com").user)
        page = client.get(f"/surveys/{closed.pk}/results/").content.decode()
        assert "Who answered" in page and "agree or strongly agree" in page  # results, not "fewer than 5"
        client.force_login(profile_of("demo@example.com").user)
        assert "A short survey is waiting for you" in client.get("/").content.decode()

    def test_the_communications_pages_answer_on_the_demo(self, company, client):
        client.force_login(profile_of("comms@example.com").user)
        year_ago = (company_today() - timedelta(days=364)).isoformat()
        for url in ("/analytics/", f"/analytics/?start={year_ago}", f"/analytics/silos/?start={year_ago}",
                    "/analytics/groups/", "/analytics/objectives/", "/analytics/summary/",
                    "/surveys/manage/", "/newcomers/figures/", "/search/gaps/"):  # fmt: skip
            assert client.get(url).status_code == 200, url

    def test_second_run_changes_nothing(self, company):
        before = row_counts()
        output = seed()
        assert "Demo data already present" in output
        assert PASSWORD in output
        assert row_counts() == before


def test_same_company_every_time(db):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        seed()
        first = list(Profile.objects.order_by("user__email").values_list("display_name", "job_title"))
        raise Rollback
    assert not User.objects.exists()
    seed()
    assert list(Profile.objects.order_by("user__email").values_list("display_name", "job_title")) == first


def test_refuses_a_company_too_small_to_have_every_department(db):
    with pytest.raises(CommandError, match="at least"):
        seed(employees=10)
    assert not User.objects.exists()


def test_refuses_when_a_demo_address_already_belongs_to_someone(db):
    ProfileFactory(user__email="demo@example.com")
    with pytest.raises(CommandError, match="demo@example.com"):
        seed()
    assert User.objects.count() == 1


def test_a_crash_half_way_leaves_nothing_behind(db, monkeypatch):
    def broken_rollup(*, day):
        raise RuntimeError("disk full")

    monkeypatch.setattr("demo.services.rollup_fill", broken_rollup)
    with pytest.raises(RuntimeError, match="disk full"):
        seed()
    assert set(row_counts().values()) == {0}

    def test_automatic_rules_caught_a_held_post_a_held_comment_and_a_flag(self, company):
        # Moderation's automatic rules (demo/rules.py): their cases wait in the review queue.
        from moderation.rules_models import RuleHit, WatchedRule

        assert WatchedRule.objects.filter(kind="detector").count() == 4
        assert Post.objects.filter(held_at__isnull=False).count() == 1
        assert Comment.objects.filter(held_at__isnull=False).count() == 1
        assert set(RuleHit.objects.values_list("action", flat=True)) == {"hold", "flag"}
