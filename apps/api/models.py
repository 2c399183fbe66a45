from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one actor: the request it came with and, once answered, the answer to replay.

    ``status_code`` is None while the first request with the key runs; a second one meanwhile answers 409. Records
    older than ``apps.api.idempotency.KEEP_FOR`` no longer count.
    """

    actor_id = models.BigIntegerField()
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor_id", "key"], name="idempotency_key_once_per_actor")]

    def __str__(self):
        return f"{self.actor_id}:{self.key}"
