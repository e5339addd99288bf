"""What goes into each person's digest, chosen for a whole batch of people in a fixed number of queries:
every read below takes the batch's ids, never one person's."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse

from common.days import day_bounds
from communities.selectors import member_community_ids_of_many
from delivery.selectors import last_sent_periods
from digests.models import DigestSetting
from expertise.selectors import skill_names_lowercase_of_many
from feed import batch_reads
from feed.batch_reads import Candidate
from feed.models import Post
from notifications.models import Kind
from notifications.selectors import notifications_between
from projects.selectors import project_joins_of_many
from recognition.selectors import kudos_received_between

DIGEST = "digest"
Frequency = DigestSetting.Frequency
LOOKBACK: dict[str, timedelta] = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# Most lines per section: a digest is read in a minute, not scrolled.
FOR_YOU, PROJECTS, ANNOUNCEMENTS, GROUPS, QUESTIONS, FOLLOWING, POPULAR = 10, 5, 3, 5, 3, 5, 3


@dataclass
class Item:
    text: str
    url: str  # absolute: it is read in a mail client
    post: Post | None = None
    # The post's card as the email shows it, rendered once for everyone of the batch (digests.mail).
    card: Any = None


@dataclass
class Section:
    title: str
    items: list[Item]
    # The section as the email shows it, rendered once for everyone of the batch whose section holds the
    # same items (digests.mail): "Popular across the company" is the same for nearly everyone.
    rendered: Any = None


@dataclass
class DigestContent:
    since: datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def digest_setting_of(*, profile_id: int) -> DigestSetting:
    """The person's settings, or the defaults (unsaved) when they never changed or visited anything."""
    return DigestSetting.objects.filter(profile_id=profile_id).first() or DigestSetting(profile_id=profile_id)


def digest_settings_of_many(*, profile_ids: Collection[int]) -> dict[int, DigestSetting]:
    found = DigestSetting.objects.in_bulk(list(profile_ids))
    return {pk: found.get(pk) or DigestSetting(profile_id=pk) for pk in profile_ids}


def digest_due_q(*, weekday: int) -> Q:
    """People whose digest goes out on a morning that is `weekday`: daily ones (and those who never
    chose: daily is the default), weekly ones who picked that day."""
    return (
        Q(digest_setting__isnull=True)
        | Q(digest_setting__frequency=Frequency.DAILY)
        | Q(digest_setting__frequency=Frequency.WEEKLY, digest_setting__weekday=weekday)
    )


def _absolute(path: str) -> str:
    return settings.HIVE_BASE_URL + path


def _post_and_comment(url: str) -> tuple[int | None, int | None]:
    """Which post (and comment) a notification leads to, read from its link."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None, None
    if match.view_name != "feed:post":
        return None, None
    comment = parse_qs(parts.query).get("comment", [""])[0]
    return int(match.kwargs["post_id"]), int(comment) if comment.isdigit() else None


def _window_start(
    setting: DigestSetting, *, end: datetime, last_period: str | None
) -> tuple[datetime, str | None]:
    """Where this person's digest starts, or why they get none: the later of the frequency's lookback
    and the end of their last digest; then their last visit (they saw what came before it)."""
    start = end - LOOKBACK[setting.frequency]
    if last_period is not None:
        start = max(start, day_bounds(date.fromisoformat(last_period))[1])
    seen = setting.last_seen_at
    if seen is not None and seen >= start:
        if setting.only_when_away:
            return start, "visited Hive since the last digest"
        start = seen
    return start, None


def digest_contents(*, profile_ids: list[int], day: date) -> dict[int, DigestContent | str]:
    """For each person, their digest for the morning after `day` or the reason they get none."""
    end = day_bounds(day)[1]
    setting_of = digest_settings_of_many(profile_ids=profile_ids)
    last = last_sent_periods(kind=DIGEST, profile_ids=profile_ids, before=day.isoformat())
    result: dict[int, DigestContent | str] = {}
    since: dict[int, datetime] = {}
    for pk in profile_ids:
        setting = setting_of[pk]
        if setting.frequency == Frequency.NEVER:
            result[pk] = "turned the digest off before it went out"
            continue
        start, skip = _window_start(setting, end=end, last_period=last.get(pk))
        if skip:
            result[pk] = skip
        else:
            since[pk] = start
    if not since:
        return result
    people = list(since)
    start = min(since.values())
    groups = member_community_ids_of_many(profile_ids=people)

    notes = notifications_between(
        recipient_ids=people, kinds=[Kind.MENTION, Kind.REPLY, Kind.ANSWER], start=start, end=end
    )
    targets = {n.pk: _post_and_comment(n.url) for n in notes}
    posts_up = batch_reads.posts_visibility(post_ids={p for p, _ in targets.values() if p})
    comments_up = batch_reads.comments_up(comment_ids={c for _, c in targets.values() if c})
    kudos = kudos_received_between(recipient_ids=people, start=start, end=end)
    announcements = batch_reads.announcements_between(start=start, end=end)
    seen = batch_reads.announcements_seen(profile_ids=people, post_ids=[a.id for a in announcements])
    in_groups = batch_reads.top_posts_in_groups(
        community_ids=set().union(*groups.values()), start=start, end=end
    )
    questions = batch_reads.open_questions_with_tags(start=start, end=end)
    skills = skill_names_lowercase_of_many(profile_ids=people) if questions else {}
    follows_people, follows_tags = batch_reads.follows_of_many(profile_ids=people)
    by_author = batch_reads.top_posts_by_authors(
        author_ids=set().union(*follows_people.values()), start=start, end=end
    )
    by_tag = batch_reads.top_posts_with_tags(
        tag_ids=set().union(*follows_tags.values()), start=start, end=end
    )
    popular = batch_reads.top_public_posts(start=start, end=end)
    joins = project_joins_of_many(profile_ids=people, start=start, end=end)

    notes_of: dict[int, list] = {}
    for note in notes:
        notes_of.setdefault(note.recipient_id, []).append(note)
    kudos_of: dict[int, list] = {}
    for k in kudos:
        kudos_of.setdefault(k.recipient_id, []).append(k)

    chosen: dict[int, list[tuple[str, list[Candidate]]]] = {}
    for pk in people:
        mine, when = groups[pk], since[pk]
        used = {a.id for a in announcements if (pk, a.id) in seen}  # had it on screen: not news

        def fresh(c: Candidate, pk=pk, mine=mine, when=when, used=used) -> bool:
            return c.created_at >= when and c.author_id != pk and c.id not in used and c.readable_by(mine)

        def take(candidates, limit: int, used=used) -> list[Candidate]:
            picked: list[Candidate] = []
            for c in candidates:
                if len(picked) == limit:
                    break
                if c.id not in {p.id for p in picked}:
                    picked.append(c)
            used.update(c.id for c in picked)
            return picked

        for_you = []
        for note in notes_of.get(pk, []):
            post_id, comment_id = targets[note.pk]
            post = posts_up.get(post_id) if post_id else None
            if note.created_at < when or post is None or not post.readable_by(mine):
                continue  # gone, or in a group they have left since
            if comment_id is not None and comment_id not in comments_up:
                continue
            used.add(post.id)
            for_you.append(Item(text=note.summary, url=_absolute(note.url)))
        for row in kudos_of.get(pk, []):
            if row.created_at >= when:
                k = row.kudos
                if k.post_id:
                    used.add(k.post_id)
                values = " and ".join(v.name for v in k.values.all())
                for_you.append(
                    Item(
                        text=f"{k.giver.display_name} gave you kudos for {values}: “{k.message[:120]}”",
                        url=_absolute(reverse("recognition:detail", args=[k.pk])),
                    )
                )
        result[pk] = DigestContent(since=when)
        if for_you:
            result[pk].sections.append(Section("For you", for_you[:FOR_YOU]))  # type: ignore[union-attr]
        joined = [
            Item(
                text=f"{j.profile.display_name} joined {j.project.name}",
                url=_absolute(j.project.get_absolute_url()),
            )
            for j in joins.get(pk, [])
            if j.joined_at >= when
        ]
        if joined:
            result[pk].sections.append(Section("New in your projects", joined[:PROJECTS]))  # type: ignore[union-attr]
        skills_of = skills.get(pk, set())
        chosen[pk] = [
            (
                "Announcements you have not seen",
                take([a for a in announcements if fresh(a) and (pk, a.id) not in seen], ANNOUNCEMENTS),
            ),
            (
                "In your groups",
                take(
                    sorted(
                        (c for g in mine for c in in_groups.get(g, []) if fresh(c)),
                        key=lambda c: (-c.score, -c.id),
                    ),
                    GROUPS,
                ),
            ),
            (
                "Questions you could answer",
                take([q for q, tags in questions if tags & skills_of and fresh(q)], QUESTIONS),
            ),
            (
                "From people and tags you follow",
                take(
                    sorted(
                        (
                            c
                            for source in (
                                *(by_author.get(a, []) for a in follows_people.get(pk, ())),
                                *(by_tag.get(t, []) for t in follows_tags.get(pk, ())),
                            )
                            for c in source
                            if fresh(c)
                        ),
                        key=lambda c: (-c.score, -c.id),
                    ),
                    FOLLOWING,
                ),
            ),
            ("Popular across the company", take([c for c in popular if fresh(c)], POPULAR)),
        ]

    posts = batch_reads.posts_for_email(
        ids={c.id for parts in chosen.values() for _, cs in parts for c in cs}
    )
    # Each post's link once for the batch: the day's popular posts are in nearly every digest.
    urls = {pk: _absolute(post.get_absolute_url()) for pk, post in posts.items()}
    for pk, parts in chosen.items():
        content = result[pk]
        assert isinstance(content, DigestContent)
        for title, candidates in parts:
            items = [
                Item(text=posts[c.id].body, url=urls[c.id], post=posts[c.id])
                for c in candidates
                if c.id in posts
            ]
            if items:
                content.sections.append(Section(title, items))
        if not content.count:
            result[pk] = "nothing new since the last digest"
    return result
