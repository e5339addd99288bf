"""What search keeps: how often each query found nothing, per day (no person is recorded)."""

from django.db import models


class ZeroResultSearch(models.Model):
    """Searches that found nothing, by their words and day: the gaps in what the network knows,
    for the Communications team. Counts only; who searched is never stored."""

    query = models.CharField(max_length=200)  # the words searched for, lower-cased, spaces collapsed
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="zero_result_once_a_day")]
        # The unique index (day first) also serves the report's "since" range and the pruning.

    def __str__(self) -> str:
        return f"{self.day} {self.query!r} x{self.count}"
