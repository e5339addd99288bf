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
