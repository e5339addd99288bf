"""Kudos: one colleague recognising another for living a company value."""

from django.db import models
from django.utils import timezone

from feed.models import Post
from profiles.models import Profile


class CompanyValue(models.Model):
    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    emoji = models.CharField(max_length=8, blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


class Kudos(models.Model):
    giver = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="kudos_given")
    recipient = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="kudos_received")
    value = models.ForeignKey(CompanyValue, on_delete=models.PROTECT, related_name="kudos")
    message = models.CharField(max_length=500)
    # The feed post that carries this kudos to everyone.
    post = models.OneToOneField(Post, on_delete=models.PROTECT, related_name="kudos")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("recipient")), name="kudos_not_to_self"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="kudos_received_idx"),
            models.Index(fields=["created_at"], name="kudos_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.recipient}: {self.value}"
