"""Adoption figures: who was active on which day, and the nightly per-day, per-department rollup."""

from django.db import models
from django.utils import timezone

from communities.models import Community
from profiles.models import Department, Profile


class ActiveDay(models.Model):
    """A person used Hive on this day (any signed-in page view). One row per person per day."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="active_days")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "profile"], name="active_day_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} on {self.day}"


class DailyRollup(models.Model):
    """One day's adoption figures for one department, or for the whole company (department empty)."""

    day = models.DateField()
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    active_users = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department"], name="rollup_once_per_day_department", nulls_distinct=False
            )
        ]
        indexes = [models.Index(fields=["-day"], name="rollup_recent_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.department or 'company'}"


# --- Figures as data (analytics/figures.py declares them; analytics/fill.py fills them) ----------------

ALL = 0  # a segment key meaning "every department" (or location, or tenure band): the margin
NONE = -1  # a person with no department (or location, or start date)


class Placement(models.Model):
    """Where a person sat in the organisation over a span of days, recorded by analytics each night.

    Figures for a past day count a person where they were on that day, so an HR import that moves
    people does not rewrite history. Plain ids, not foreign keys: the history outlives a department
    that is renamed, merged or deleted. An open span has no `valid_to`; a person's first span has no
    `valid_from` (it reaches back to before the history began)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    department_id = models.IntegerField(null=True, blank=True)
    location_id = models.IntegerField(null=True, blank=True)
    manager_id = models.IntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=models.Q(valid_to__isnull=True), name="placement_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="placement_span_ordered",
            ),
        ]
        indexes = [models.Index(fields=["profile", "valid_from"], name="placement_profile_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id}: department {self.department_id} from {self.valid_from} to {self.valid_to}"


class Segment(models.Model):
    """A segment of the company: a department, a location and a tenure band, each possibly ALL. Stored
    figures name their segment by its id, so a day's rows are narrow and one index, (segment, day),
    serves every read of the dashboard; a segment is added the first time a fill stores it."""

    id = models.AutoField(primary_key=True)  # 4 bytes in each stored row
    department = models.IntegerField()
    location = models.IntegerField()
    tenure = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "location", "tenure"], name="segment_once")
        ]

    def __str__(self) -> str:
        return f"d{self.department} l{self.location} t{self.tenure}"


class SegmentDay(models.Model):
    """One day's figures for one segment. Only segments the privacy rule lets anyone see are stored
    (analytics/privacy.py): the dashboard and the CSV read these rows and nothing else."""

    pk = models.CompositePrimaryKey("segment", "day")
    # No foreign key constraint to check on each of the million rows a year's backfill writes (nor a
    # second index): segments are never deleted, and the fill names only segments it has just added.
    segment = models.ForeignKey(
        Segment, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    day = models.DateField()
    headcount = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    active_7 = models.PositiveIntegerField(default=0)
    active_28 = models.PositiveIntegerField(default=0)
    contributors_28 = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    announcements_seen = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} segment {self.segment_id}"


class FillState(models.Model):
    """Which days of which group of figures are filled (Zulip's FillState, one row per stat and day).

    A fill replaces the day's rows and records itself here in one transaction, so a day is either
    wholly filled or not at all, and filling it again gives the same rows."""

    stat = models.CharField(max_length=40)
    day = models.DateField()
    filled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stat", "day"], name="fill_state_once")]

    def __str__(self) -> str:
        return f"{self.stat} {self.day}"


OTHER = -2  # a department too small to show that day: its interactions are counted as "other"


class InteractionDay(models.Model):
    """One day's interactions from people of one department to people of another (or the same):
    replies, reactions and kudos, each counted where both people sat that day. A department the
    privacy rule withheld that day is stored as OTHER, never under its own id."""

    pk = models.CompositePrimaryKey("day", "source", "target")
    day = models.DateField()
    source = models.IntegerField()
    target = models.IntegerField()
    replies = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.source}->{self.target}"


class Objective(models.Model):
    """A target the Communications team sets itself: "60% weekly active by 30 June", company-wide or
    for one department, tracked against the stored figures."""

    class Measure(models.TextChoices):
        WEEKLY_ACTIVE = "active_7", "Weekly active"
        MONTHLY_ACTIVE = "active_28", "Monthly active"
        CONTRIBUTORS = "contributors_28", "Contributors (posted or commented in 28 days)"

    measure = models.CharField(max_length=20, choices=Measure.choices)
    department = models.IntegerField(default=ALL, help_text="0: the whole company")
    target_percent = models.DecimalField(max_digits=4, decimal_places=1)
    due = models.DateField()
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_percent__gt=0, target_percent__lte=100),
                name="objective_target_percent",
            )
        ]
        indexes = [models.Index(fields=["due", "id"], name="objective_due_idx")]

    def __str__(self) -> str:
        return f"{self.target_percent}% {self.get_measure_display()} by {self.due}"


class GroupActivity(models.Model):
    """A group's last post and size as of the nightly fill: the dormant-group list reads this."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+")
    last_post_at = models.DateTimeField(null=True, blank=True)
    members = models.PositiveIntegerField(default=0)
    checked_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["last_post_at"], name="group_activity_last_post_idx")]

    def __str__(self) -> str:
        return f"{self.community_id}: last post {self.last_post_at}"


class GroupDay(models.Model):
    """How many groups there were, and how many were dormant (no post in DORMANT_DAYS), on a day."""

    day = models.DateField(unique=True)
    groups = models.PositiveIntegerField(default=0)
    dormant = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.dormant} of {self.groups} dormant"


class GroupAction(models.Model):
    """One step of the dormant-group playbook, taken by someone in Communications."""

    class Kind(models.TextChoices):
        NUDGE = "nudge", "Nudge its admins"
        MERGE = "merge", "Suggest merging with a similar active group"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    merge_into = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)
    last_post_before = models.DateTimeField(
        null=True, blank=True, help_text="the group's last post when acted on"
    )

    class Meta:
        indexes = [models.Index(fields=["-taken_at", "-id"], name="group_action_recent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.community_id} at {self.taken_at}"
