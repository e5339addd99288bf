"""The task outbox: background work recorded in the same transaction as the change that needs it."""

from django.db import models


class OutboxTask(models.Model):
    """A Celery task owed to the broker. The row commits with the change; it is deleted once the broker
    has the task, so a row that stays means the broker was unreachable and `common.outbox_relay` sends it."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class TextVector(models.Model):
    """The sentence vector of one row's text (common.sentence_embeddings), for finding it by meaning
    (common.retrieval). One table for every kind of row that opts in ("feed.question",
    "communities.community", "expertise.skill"), keyed by the kind and the row's id: the ~1.5 KB
    vector stays out of the row itself, which lists and feeds read often. Written after commit by
    the `common.text_vectors_compute` task and backfilled by `manage.py text_vectors_backfill`."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    model = models.CharField(max_length=64)  # vectors of different models do not compare
    vector = models.BinaryField()  # float32, little-endian, unit length
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="text_vector_one_per_row")]
        # The in-process index asks for the newest vector of its kind at every look-up.
        indexes = [models.Index(fields=["kind", "model", "computed_at"], name="text_vector_newest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.model})"
