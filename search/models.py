"""What search keeps: how often each query found nothing, and how many searches each part of the
company ran, per day (no person is recorded)."""

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


class SearchDay(models.Model):
    """How many searches were run on a day, and how many found nothing, by the searchers' department,
    location or tenure band (one axis per row, so no row combines them to single someone out). Counts
    only: neither who searched nor what they searched for is stored here."""

    class Axis(models.TextChoices):
        DEPARTMENT = "department", "Department"
        LOCATION = "location", "Location"
        TENURE = "tenure", "Tenure"

    day = models.DateField()
    axis = models.CharField(max_length=10, choices=Axis.choices)
    key = models.IntegerField()  # the department, location or tenure band; -1: none
    searches = models.PositiveIntegerField(default=0)
    found_nothing = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "axis", "key"], name="search_day_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.axis}={self.key}: {self.searches} ({self.found_nothing} found nothing)"
