"""Every page runs the same number of queries however much data it shows: a guard against one query
per row ("N+1") on any page, including those without a test of their own.

A company is built through the services, every page is counted, the company then grows (more
members, posts, comments, tags, kudos, projects, notifications, skill and interest holders) and
every page is counted again: no page may need more queries the second time.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import services as communities
from events.services import event_create, question_answer, question_ask, question_vote
from expertise.services import endorsement_create, profile_interests_set, profile_skills_set
from feed import services as feed
from feed.scheduling import scheduled_post_create
from moderation.models import FlagReason
from moderation.rules import rule_create
from moderation.services import flag_create, guidelines_accept, guidelines_publish
from notifications.services import notify
from profiles import roles
from projects.services import project_create, project_join
from recognition.models import Badge, Reward
from recognition.services import badge_give, kudos_give, points_grant, reward_redeem
from surveys.models import Respondent, Survey
from surveys.services import survey_answer
from tests.factories import CompanyValueFactory, DepartmentFactory, LocationFactory, ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


class Company:
    def __init__(self, viewer):
        self.viewer = viewer
        self.star = ProfileFactory(display_name="Sam Star", manager=viewer)
        self.value = CompanyValueFactory()
        self.group = communities.community_create(
            creator=self.star, name="Platform guild", category="work", visibility="public"
        )
        communities.community_join(community=self.group, profile=viewer)
        profile_skills_set(profile=viewer, names=["Kubernetes"])
        self.post = feed.post_create(author=self.star, body="Who runs #kubernetes upgrades?", kind="question")
        self.project = project_create(creator=self.star, name="Cluster upgrade", summary="Kubernetes 1.31")
        self.rounds = 0
        self.reward = Reward.objects.create(name="Coffee voucher", cost=1)  # recognition (issue 13)
        viewer.user.user_permissions.add(
            *Permission.objects.filter(codename__in=["change_redemption", "view_kudos"])
        )
        # Moderation (issue 12): guidelines in force, so every flag form lists their clauses.
        version = guidelines_publish(
            editor=viewer, source="## Be kind\nNo insults.\n\n## No spam", change_note="x"
        )
        for person in (viewer, self.star):
            guidelines_accept(profile=person, version_number=version.number)
        # Leaders (issue 15): a must-read compliance announcement; its figures page counts by department.
        self.must_read = feed.announcement_create(author=viewer, body="Read this", compliance=True)
        self.event = event_create(
            creator=viewer, title="Town hall", description="Ask", hosts=[viewer],
            starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
        # Pulse surveys (issue 11): one to answer, one whose results grow with every newcomer.
        self.survey = _survey(viewer, "Open pulse")
        self.answered = _survey(viewer, "Answered pulse")
        for person in ProfileFactory.create_batch(5):  # its results show from the start (5 answers)
            survey_answer(survey_id=self.answered.pk, profile=person, choices={1: 3}, texts={2: "Ok"})
        self.scheduled = scheduled_post_create(
            author=viewer, body="Later", publish_at=timezone.now() + timedelta(days=1), community=self.group
        )

    def grow(self, people: int) -> None:
        """`people` newcomers, each doing one of everything the pages list."""
        for _ in range(people):
            self.rounds += 1
            n = self.rounds
            person = ProfileFactory(
                manager=self.star,
                department=DepartmentFactory(name=f"Department {n}"),
                location=LocationFactory(name=f"Office {n}"),
            )
            communities.community_join(community=self.group, profile=person)
            profile_skills_set(profile=person, names=["Kubernetes", f"Skill {n}"])
            profile_interests_set(profile=person, names=["Running"])
            listed = person.skill_items.get(tag__name="Kubernetes")
            endorsement_create(endorser=self.star, profile_skill_id=listed.pk)
            feed.post_create(author=person, body=f"Upgrade notes {n} #kubernetes", community=self.group)
            question = feed.post_create(author=person, body=f"Question {n}? #kubernetes", kind="question")
            answer = feed.comment_create(post_id=question.pk, author=self.star, body=f"Answer {n}")
            if n % 2:  # found by "already answered?"
                feed.answer_mark(post_id=question.pk, comment_id=answer.pk, actor=person)
            # Moderation (issue 12): the first case's author (star) gains past cases, its flagger a record.
            self.case = (
                getattr(self, "case", None)
                or flag_create(flagger=self.viewer, content=answer, reason=FlagReason.OTHER).case
            )
            if self.case.object_id != answer.pk:
                flag_create(flagger=self.viewer, content=answer, reason=FlagReason.OTHER)
            flag_create(flagger=self.star, content=question, reason=FlagReason.SPAM)
            feed.comment_create(post_id=self.post.pk, author=person, body=f"Comment {n}")
            feed.reaction_toggle(post_id=self.post.pk, profile=person, kind="like")
            kudos_give(giver=person, recipients=[self.star], values=[self.value], message=f"Thanks {n}")
            # Recognition (issue 13): one more badge on the star's profile each round.
            badge = Badge.objects.create(slug=f"round-{n}", name=f"Round {n}", description=f"Badge {n}")
            badge_give(badge=badge, profile=self.star, actor=self.viewer)
            project_join(project=self.project, profile=person)
            project_create(creator=person, name=f"Project {n}", summary="Kubernetes work")
            notify(recipients=[self.viewer], kind="mention", actor=person, summary=f"Mention {n}", url="/")
            # Leaders (issue 15): in the leadership corner, and a question (every other one
            # anonymous) with a vote at the event.
            in_group(person, roles.LEADERSHIP)
            feed.post_create(author=person, body=f"Leader update {n}")
            question = question_ask(
                event_id=self.event.pk, author=person, body=f"Q {n}?", anonymous=n % 2 == 0
            )
            question_vote(question_id=question.pk, voter=self.star)
            if n % 3 == 0:
                question_answer(question_id=question.pk, host=self.viewer, answer=f"A {n}")
            # Automatic rules (issue 12 part B): one more watched word, and its audit row, per round.
            rule_create(
                actor=self.viewer, kind="word", pattern=f"watchword{n}", action="flag", where=["kudos"]
            )
        # Pulse surveys (issue 11): everyone so far answers, in their own department and office.
        Survey.objects.filter(pk=self.answered.pk).update(closes_at=timezone.now() + timedelta(days=1))
        for person in self.star.direct_reports.filter(~Exists(Respondent.objects.filter(
            survey=self.answered, profile=OuterRef("pk")))):  # fmt: skip
            survey_answer(survey_id=self.answered.pk, profile=person, choices={1: 4}, texts={2: "Fine"})
        Survey.objects.filter(pk=self.answered.pk).update(closes_at=timezone.now())
        # Recognition (issue 13): a private kudos with a point to the viewer and everyone who joined so
        # far, who each ask for a reward with it (the viewer reviews the requests).
        newcomers = list(self.star.direct_reports.all())
        points_grant(profile=self.star, amount=len(newcomers) + 1, actor=None)
        self.private_kudos = kudos_give(
            giver=self.star,
            recipients=[self.viewer, *newcomers],
            values=[self.value],
            message="Team",
            points_each=1,
            is_private=True,
        )
        for person in [self.viewer, *newcomers]:
            reward_redeem(profile=person, reward_id=self.reward.pk)

    def pages(self) -> dict[str, str]:
        star, group = self.star, self.group
        return {
            "home": "/",
            "all company": "/all/",
            "questions": "/questions/",
            "post": self.post.get_absolute_url(),
            "tag": "/tags/kubernetes/",
            "groups": "/groups/",
            "group": group.get_absolute_url(),
            "group members": f"/groups/{group.slug}/members/",
            "directory": "/people/",
            "profile": star.get_absolute_url(),
            "org chart": f"/people/{star.pk}/org/",
            "skills": "/skills/",
            "skill": "/skills/kubernetes/",
            "interest": "/skills/interests/running/",
            "people to meet": "/skills/meet/",
            "projects": "/projects/",
            "project": self.project.get_absolute_url(),
            "give kudos": f"/kudos/give/?to={star.pk}",
            "private kudos": f"/kudos/{self.private_kudos.pk}/",  # recognition (issue 13)
            "rewards": "/kudos/rewards/",
            "reward requests": "/kudos/rewards/requests/",
            "my team's recognition": "/kudos/team/",
            "leaderboard": "/kudos/leaderboard/?period=year",
            "kudos wall": "/kudos/",
            "recognition rings": "/kudos/rings/",
            "recognition preferences": "/kudos/preferences/",
            "notifications": "/notifications/",
            "search": "/search/?q=kubernetes",
            "content search": f"/search/?q=upgrade+notes+%23kubernetes+in%3A{group.slug}",
            "experts": "/search/experts/?topic=kubernetes",
            "review queue": "/moderation/",
            "moderation rules": "/moderation/rules/",
            # Moderation (issue 12): the guidelines and their editor.
            "guidelines": "/guidelines/",
            "edit guidelines": "/guidelines/edit/",
            "case": self.case.get_absolute_url(),
            "moderation figures": "/moderation/figures/",
            "adoption dashboard": "/analytics/",
            # analytics (issue 11)
            "silo map": "/analytics/silos/",
            "objectives": "/analytics/objectives/",
            "dormant groups": "/analytics/groups/",
            "executive summary": "/analytics/summary/",
            # Leaders (issue 15).
            "must-read figures": f"/posts/{self.must_read.pk}/acknowledgements/",
            "scheduled posts": "/posts/scheduled/",
            "edit scheduled post": self.scheduled.get_absolute_url(),
            # --- digests (issue 10): the person's own email settings ---
            "email settings": "/people/me/email/",
            # Leaders (issue 15): events.
            "events": "/events/",
            "event": self.event.get_absolute_url(),
            "event questions": f"/events/{self.event.pk}/questions/",
            "edit event": f"/events/{self.event.pk}/edit/",
            "new event": "/events/new/",
            "leadership corner": "/leadership/",
            # "Already answered?" and "a similar group exists" (issue 15).
            "already answered": "/questions/already-answered/?body=Who+runs+the+kubernetes+upgrades%3F",
            "similar groups": "/groups/new/similar/?name=Platform+people&description=kubernetes",
            "newcomer figures": "/newcomers/figures/",
            # Pulse surveys (issue 11).
            "surveys": "/surveys/",
            "survey": f"/surveys/{self.survey.pk}/",
            "surveys of the team": "/surveys/manage/",
            "new survey": "/surveys/new/",
            "open survey's progress": f"/surveys/{self.survey.pk}/results/",
            "survey results": f"/surveys/{self.answered.pk}/results/",
        }


def _survey(author, title: str) -> Survey:
    """A sent survey to everyone (made directly: the company starts under the 5 people a survey needs)."""
    survey = Survey.objects.create(
        title=title, created_by=author, sent_at=timezone.now(), closes_at=timezone.now() + timedelta(days=3)
    )
    survey.questions.create(position=1, kind="likert", text="I feel informed")
    survey.questions.create(position=2, kind="text", text="Anything else?")
    return survey


def _counts(client, pages: dict[str, str]) -> dict[str, int]:
    """Each page's queries, the fewer of two warm visits: a query per row shows on both, while a cache
    that happens to be cold on one visit (an entry expiring mid-test on a loaded machine) does not make
    a page look as if it grew."""
    counts = {}
    for name, url in pages.items():
        client.get(url)  # a first visit may record activity or warm a cache
        seen = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, f"{name} ({url}): {response.status_code}"
            seen.append(len(queries.captured_queries))
        counts[name] = min(seen)
    return counts


@pytest.mark.newcomer_path  # the viewer joined this month: her checklist and tips on the pages
def test_no_page_runs_more_queries_when_the_company_grows(colleague):
    in_group(in_group(colleague, roles.MODERATORS), roles.COMMUNICATIONS)  # every page opens to them
    company = Company(colleague)
    company.grow(2)
    client = signed_in(colleague)
    # She joined this month: Home carries her first-week checklist, colleagues to follow included.
    assert "data-newcomer-checklist" in client.get("/").content.decode()
    small = _counts(client, company.pages())

    # Three times the people, posts, cases...: a query per row shows as soon as there are more rows.
    company.grow(4)
    large = _counts(client, company.pages())

    grew = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert grew == {}, f"pages that ran more queries with more data (before, after): {grew}"


# --- Wiki and searches that found nothing (issue 17) ----------------------------------------------


def test_wiki_pages_run_no_more_queries_when_the_wiki_grows(colleague):
    """The company wiki and a group's: every newcomer edits the page (a version), links it from a new
    sub-page, and searches for something nobody wrote (a zero-result row)."""
    from search.services import zero_result_record
    from wiki import services as wiki
    from wiki import watches

    in_group(colleague, roles.COMMUNICATIONS)  # writes the company wiki and reads /search/gaps/
    group = communities.community_create(
        creator=colleague, name="Wiki guild", category="work", visibility="private"
    )
    home = wiki.page_create(author=colleague, community=None, title="Handbook", body="Start here.")
    guild = wiki.page_create(author=colleague, community=group, title="Guild notes", body="Notes.")
    rounds = [0]

    def grow(people: int) -> None:
        for _ in range(people):
            rounds[0] += 1
            n = rounds[0]
            person = in_group(ProfileFactory(), roles.COMMUNICATIONS)
            communities.invitation_answer(
                invitation_id=communities.invitation_create(
                    community=group, inviter=colleague, invitee=person
                ).pk,
                invitee=person,
                accept=True,
            )
            for page, community in ((home, None), (guild, group)):
                watches.space_watch_toggle(profile=person, space=page.space)
                page.refresh_from_db()
                wiki.page_update(
                    page_id=page.pk,
                    editor=person,
                    title=page.title,
                    body=f"{page.body}\nStep {n}.",
                    base_version=page.version,
                )
                wiki.page_create(
                    author=person,
                    community=community,
                    title=f"Part {n}",
                    body=f"Back to [[{page.title}]].",
                    parent_id=page.pk,
                )
            zero_result_record(query=f"nothing about {n}")
        # Every watcher told of the edits: the notifications pages grow too.
        watches.edits_notify_due(now=timezone.now() + watches.LONGEST_WAIT)

    def pages() -> dict[str, str]:
        home.refresh_from_db()
        return {
            "wiki": "/wiki/",
            "wiki page": home.get_absolute_url(),
            "wiki history": home.history_url(),
            "wiki diff": f"{home.diff_url()}?from=1&to={home.version}",
            "wiki old version": home.version_url(1),
            "wiki edit": home.edit_url(),
            "wiki new page": f"/wiki/new/?parent={home.pk}",
            "group wiki": f"/wiki/groups/{group.slug}/",
            "group wiki page": guild.get_absolute_url(),
            "group page with its wiki card": group.get_absolute_url(),
            "wiki search": "/search/?q=step",
            "searches that found nothing": "/search/gaps/",
        }

    grow(2)
    client = signed_in(colleague)
    small = _counts(client, pages())
    grow(4)
    large = _counts(client, pages())

    grew = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert grew == {}, f"pages that ran more queries with more data (before, after): {grew}"
