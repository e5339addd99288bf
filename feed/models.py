"""The company feed: posts, comments, reactions, and the record of digests sent."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from communities.models import Community
from profiles.models import Profile


class Post(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        QUESTION = "question", "Question"
        ANNOUNCEMENT = "announcement", "Announcement"
        POLL = "poll", "Poll"
        KUDOS = "kudos", "Kudos"
        CELEBRATION = "celebration", "Celebration"  # a birthday or work anniversary Hive posts (recognition)

    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="posts")
    # Empty: the company feed. A private group's posts are read by its members only
    # (communities.selectors.readable_q is the one rule every read applies).
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    body = models.TextField(validators=[MaxLengthValidator(settings.HIVE_POST_MAX_LENGTH)])
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date by feed.services in the same transaction as the comment or reaction,
    # so the feed never counts rows per post.
    comment_count = models.PositiveIntegerField(default=0)
    reaction_count = models.PositiveIntegerField(default=0)
    # An announcement stays at the top of everyone's feed until then.
    pinned_until = models.DateTimeField(null=True, blank=True)
    # A question's chosen answer, marked by its author (or an admin of its group).
    best_answer = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # #tags written in the body, kept in step by feed.services on every create and edit.
    tags = TaggableManager(through="PostTag", blank=True)
    # Set by the author's delete or a moderator's removal: the row stays, nobody sees it.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Held for review (an automatic rule, a new member's first posts, or enough flags): only its author
    # sees it, marked pending, until a moderator approves it (feed/holds.py publishes it then).
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The company feed: newest first, visible posts only.
            models.Index(
                fields=["-created_at", "-id"],
                name="post_feed_idx",
                condition=models.Q(removed_at__isnull=True),
            ),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            # Pinned announcements, looked up on every feed page.
            models.Index(
                fields=["-pinned_until"],
                name="post_pinned_idx",
                condition=models.Q(pinned_until__isnull=False, removed_at__isnull=True),
            ),
            # The Questions page: open questions, newest first.
            models.Index(
                fields=["-created_at", "-id"],
                name="post_open_questions_idx",
                condition=models.Q(kind="question", best_answer__isnull=True, removed_at__isnull=True),
            ),
            models.Index(
                fields=["community", "-created_at", "-id"],
                name="post_community_feed_idx",
                condition=models.Q(removed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("feed:post", args=[self.pk])

    def moderation_excerpt(self) -> str:
        return self.body[:1000]

    @property
    def is_announcement(self) -> bool:
        return self.kind == self.Kind.ANNOUNCEMENT

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment (feed.services checks).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(validators=[MaxLengthValidator(settings.HIVE_COMMENT_MAX_LENGTH)])
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Held for review, as Post.held_at: shown to its author only, not counted on the post until published.
    held_at = models.DateTimeField(null=True, blank=True)
    # A moderator edited it (a decision on its case, which keeps the earlier text): shown on the comment.
    edited_by_moderator_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="comment_thread_idx"),
            models.Index(fields=["created_at"], name="comment_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.post_id}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        # From post_id, not self.post: lists of comments (the review queue) would load each post.
        # ?comment= opens a long thread at the page holding this comment.
        return f"{reverse('feed:post', args=[self.post_id])}?comment={self.pk}#comment-{self.pk}"

    def moderation_excerpt(self) -> str:
        return self.body[:1000]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "👍 Like"
        CELEBRATE = "celebrate", "🎉 Celebrate"
        INSIGHTFUL = "insightful", "💡 Insightful"
        SUPPORT = "support", "🤝 Support"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "profile"], name="reaction_one_per_person")]
        indexes = [models.Index(fields=["created_at"], name="reaction_created_idx")]

    def __str__(self) -> str:
        return f"{self.profile} {self.kind} {self.post_id}"


class PostImage(models.Model):
    """A picture attached to a post; served through the post's own permission check, never directly."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="post-images/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"image {self.position} of {self.post_id}"

    def get_absolute_url(self) -> str:
        return reverse("feed:post_image", args=[self.post_id, self.pk])


class Poll(models.Model):
    """The choices of a poll post. Results show to those who voted, and to everyone once it closes."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="poll")
    multiple = models.BooleanField(default=False, help_text="Voters may pick several options.")
    closes_at = models.DateTimeField()
    voter_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"poll on {self.post_id}"

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position")]

    def __str__(self) -> str:
        return self.label


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="poll_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "voter"], name="vote_once_per_option")]
        indexes = [models.Index(fields=["poll", "voter"], name="poll_voter_idx")]

    def __str__(self) -> str:
        return f"{self.voter_id} voted {self.option_id}"


class AnnouncementView(models.Model):
    """Someone has had this announcement on their screen: its reach is the count of these rows."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="views")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "profile"], name="announcement_seen_once")]
        # The nightly figures read one day of views (analytics: announcements seen per segment).
        indexes = [models.Index(fields=["seen_at"], name="announcement_view_seen_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} saw {self.post_id}"


class PostTag(TaggedItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="post_items")
    content_object = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tag_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "content_object"], name="post_tag_once")]
        indexes = [models.Index(fields=["tag", "content_object"], name="post_tag_idx")]


class FollowPerson(models.Model):
    follower = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="following_people")
    followee = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_person_once"),
            models.CheckConstraint(condition=~models.Q(follower=models.F("followee")), name="no_self_follow"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows person {self.followee_id}"


class FollowTag(models.Model):
    follower = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="following_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follower", "tag"], name="follow_tag_once")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows tag {self.tag_id}"


class PostRevision(models.Model):
    """What a post said before an edit: the history behind the visible "edited" mark."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    # When the replaced text had been written (the post's creation or its previous edit).
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    # Set on every earlier version when a moderator edits the post (text that broke the guidelines
    # stays out of the public history): only moderators read them then, on the case page.
    moderator_only = models.BooleanField(default=False)
    # The replacing edit was a moderator's decision, not the author's.
    by_moderator = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["post", "-replaced_at"], name="post_revision_idx")]

    def __str__(self) -> str:
        return f"revision of {self.post_id} at {self.replaced_at:%Y-%m-%d %H:%M}"


class MustRead(models.Model):
    """An announcement its audience (everyone active) is asked to read and acknowledge.

    Acknowledgements are per person because a reminder must reach only those who have not clicked;
    what the company sees of them is counts by department (feed/acknowledgements.py), except on a
    compliance announcement, whose audience is told up front that the list of who has not
    acknowledged can be downloaded.
    """

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="must_read")
    compliance = models.BooleanField(default=False)
    remind_after_days = models.PositiveSmallIntegerField(default=3)
    # Stays at the top of the feed of whoever has not acknowledged, and is reminded of, until then.
    ask_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"must-read {self.post_id}"


class Acknowledgement(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="acknowledgements")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "profile"], name="acknowledge_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} acknowledged {self.post_id}"


class AcknowledgementReminder(models.Model):
    """The one reminder someone got: written with its notification, so a rerun reminds nobody twice."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "profile"], name="remind_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} reminded of {self.post_id}"


class ScheduledPost(models.Model):
    """A post, question, poll or announcement written now and published at `publish_at` by a beat job
    (feed/scheduling.py), with that time as its date. Editable and cancellable until then."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Could not be published"

    author = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="scheduled_posts")
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Post.Kind.choices, default=Post.Kind.UPDATE)
    body = models.TextField(validators=[MaxLengthValidator(settings.HIVE_POST_MAX_LENGTH)])
    publish_at = models.DateTimeField()
    # What the kind needs at publishing: a poll's options and closing, an announcement's pin and
    # must-read settings. Checked when scheduled and again when published.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    post = models.OneToOneField(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    failure = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The beat job's look-up of what is due, and an author's list of what is coming.
            models.Index(
                fields=["publish_at"], name="scheduled_due_idx", condition=models.Q(status="scheduled")
            ),
            models.Index(fields=["author", "-publish_at"], name="scheduled_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.author_id} at {self.publish_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("feed:scheduled_edit", args=[self.pk])


class NewcomerChecklistDismissal(models.Model):
    """A newcomer hid the first-week checklist on Home (feed/newcomers.py): it stays hidden."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="newcomer_checklist_dismissal"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.profile_id} hid the newcomer checklist"


class NewcomerTipSeen(models.Model):
    """A newcomer was shown a page's tip (feed/newcomers.py TIPS): it is shown once."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="newcomer_tips_seen")
    page = models.CharField(max_length=20)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "page"], name="newcomer_tip_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} saw the {self.page} tip"
