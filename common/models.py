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
    """A row's text as a sentence vector, for retrieval by meaning (common.retrieval). `kind` names
    what the row is ("events.question", "communities.group"); `object_id` is its id in its own table.
    No foreign key: common knows no app, so the owning app forgets the vectors of rows it deletes
    (common.retrieval.text_vectors_forget), and readers skip ids that no longer exist."""

    kind = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    model = models.CharField(max_length=64)  # vectors of different models do not compare
    vector = models.BinaryField()  # float32, little-endian, unit length
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="common_textvector_one_per_row")
        ]
        # Each process's index asks for the newest vector of its kind at every look-up.
        indexes = [models.Index(fields=["kind", "model", "computed_at"], name="common_textvector_newest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.model})"
