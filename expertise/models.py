"""Skills as django-taggit tags, attached to profiles through an explicit through-model.

Profiles (the ground floor) must not know about expertise, so instead of a TaggableManager on
Profile the tag and the tagged item live here, built on taggit's TagBase / TaggedItemBase.
"""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from taggit.models import TagBase, TaggedItemBase

from profiles.models import Profile

# Slugs that would not reach the skill page: "mine/" and "meet/" are pages of their own, and an empty
# slug has no URL.
_UNREACHABLE_SLUGS = {"", "mine", "meet"}


def _reachable(slug: str, *, unreachable: set[str], prefix: str, i: int | None) -> str:
    # Names made only of symbols ("++", "🙂") slugify to nothing; they still need a page.
    if slug in unreachable:
        slug = f"{prefix}-{slug}".rstrip("-")
    return slug if i is None else f"{slug}_{i}"


class Skill(TagBase):
    # Active people listing the skill, shown next to it in search ("Python · 20,412 people"): counting
    # a common skill's holders on every search joined tens of thousands of rows. expertise.services
    # keeps it as profiles list and drop skills; people_counts_recount (hourly) corrects what they
    # cannot see: people leaving or returning, rows deleted or bulk-loaded outside the services.
    people_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def slugify(self, tag: str, i: int | None = None) -> str:
        return _reachable(super().slugify(tag), unreachable=_UNREACHABLE_SLUGS, prefix="skill", i=i)

    def get_absolute_url(self) -> str:
        return reverse("expertise:skill", args=[self.slug])


class SkillAlias(models.Model):
    """Another name for a skill, kept by admins (k8s = Kubernetes, SSO = Single sign-on): typed on a
    profile, in the directory's filter, in search or a skill's URL, an alias means its skill."""

    name = models.CharField(max_length=100)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill aliases"
        constraints = [models.UniqueConstraint(Lower("name"), name="skill_alias_name_ci_unique")]

    def __str__(self) -> str:
        return f"{self.name} = {self.skill.name}"


class ProfileSkill(TaggedItemBase):
    class Level(models.IntegerChoices):
        LEARNING = 1, "Learning"
        PRACTISED = 2, "Practised"
        ADVANCED = 3, "Advanced"
        EXPERT = 4, "Expert"

    tag = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="profile_items")
    content_object = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skill_items")
    # Self-rated; endorsements from colleagues are the outside view.
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.PRACTISED)
    # Kept equal to this item's Endorsement rows by expertise.services, so rankings never count rows.
    endorsement_count = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "content_object"], name="profile_skill_once")]
        indexes = [
            models.Index(fields=["tag", "content_object"], name="skill_people_idx"),
            # A skill's page lists its people most endorsed first, then by level; "people you should
            # meet" reads only the top rows of a very common skill. Both walk this index in order, and
            # the trailing person column lets the latter read the index alone.
            models.Index(
                fields=["tag", "-endorsement_count", "-level", "content_object"],
                name="skill_people_ranked_idx",
            ),
        ]


class Endorsement(models.Model):
    """A colleague vouches for someone's skill: once per skill, never for oneself (checked in services)."""

    profile_skill = models.ForeignKey(ProfileSkill, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="endorsements_given")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile_skill", "endorser"], name="endorse_once_per_skill")
        ]
        # A profile names each skill's latest endorsers: a few rows off this index, however many.
        indexes = [
            models.Index(fields=["profile_skill", "-created_at", "-id"], name="endorsement_latest_idx")
        ]

    def __str__(self) -> str:
        return f"{self.endorser_id} endorses {self.profile_skill_id}"


class Interest(TagBase):
    """What people care about beyond their job (running, photography): for meeting people."""

    # Active people listing it, shown in the interests cloud; kept like Skill.people_count.
    people_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def slugify(self, tag: str, i: int | None = None) -> str:
        # Interest pages live under interests/, so only an empty slug is out of reach.
        return _reachable(super().slugify(tag), unreachable={""}, prefix="interest", i=i)

    def get_absolute_url(self) -> str:
        return reverse("expertise:interest", args=[self.slug])


class ProfileInterest(TaggedItemBase):
    tag = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="profile_items")
    content_object = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="interest_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "content_object"], name="profile_interest_once")
        ]
