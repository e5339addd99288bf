"""Email copies of notifications, sent once each (emailed_at records it)."""

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from common.email import email_build
from notifications.models import Notification


def notifications_email_send(*, notification_ids: list[int]) -> int:
    with transaction.atomic():
        # Claim: only rows not yet emailed, locked, so a retry or a second worker sends nothing twice.
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True, recipient__user__is_active=True)
            .select_related("recipient__user")
        )
        if not pending:
            return 0
        messages = [
            email_build(
                name="notification",
                to=n.recipient.user.email,
                context={"notification": n, "url": settings.HIVE_BASE_URL + n.url},
            )
            for n in pending
        ]
        with get_connection() as connection:
            connection.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(messages)
