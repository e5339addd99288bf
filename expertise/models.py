"""Skills as django-taggit tags, attached to profiles through an explicit through-model.

Profiles (the ground floor) must not know about expertise, so instead of a TaggableManager on
Profile the tag and the tagged item live here, built on taggit's TagBase / TaggedItemBase.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.models import TagBase, TaggedItemBase

from profiles.models import Profile

# Slugs that would not reach the skill page: "mine/" is the edit page, and an empty slug has no URL.
_UNREACHABLE_SLUGS = {"", "mine"}


class Skill(TagBase):
    class Meta:
        ordering = ["name"]

    def slugify(self, tag: str, i: int | None = None) -> str:
        # Names made only of symbols ("++", "🙂") slugify to nothing; they still need a page.
        slug = super().slugify(tag)
        if slug in _UNREACHABLE_SLUGS:
            slug = f"skill-{slug}".rstrip("-")
        return slug if i is None else f"{slug}_{i}"

    def get_absolute_url(self) -> str:
        return reverse("expertise:skill", args=[self.slug])


class ProfileSkill(TaggedItemBase):
    tag = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="profile_items")
    content_object = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skill_items")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "content_object"], name="profile_skill_once")]
        indexes = [models.Index(fields=["tag", "content_object"], name="skill_people_idx")]
