"""Read-only records of bulk email: per run, how many were sent, skipped and failed, and why."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from common.admin import RecordAdminMixin
from delivery.models import DeliveryMessage, DeliveryRun

State = DeliveryMessage.State


@admin.register(DeliveryRun)
class DeliveryRunAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "period", "created_at", "sent", "skipped", "failed", "owed"]
    list_filter = ["kind"]
    search_fields = ["period"]
    readonly_fields = ["kind", "period", "created_at", "sent", "skipped", "failed", "owed", "reasons"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sent=Count("messages", filter=Q(messages__state=State.SENT)),
                n_skipped=Count("messages", filter=Q(messages__state=State.SKIPPED)),
                n_failed=Count("messages", filter=Q(messages__state=State.FAILED)),
                n_owed=Count("messages", filter=Q(messages__state__in=DeliveryMessage.OPEN_STATES)),
            )
        )

    def _link(self, run: DeliveryRun, state: str | None, count: int):
        url = reverse("admin:delivery_deliverymessage_changelist") + f"?run__id__exact={run.pk}"
        if state:
            url += f"&state__exact={state}"
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description="sent", ordering="n_sent")
    def sent(self, run):
        return self._link(run, State.SENT, run.n_sent)

    @admin.display(description="skipped", ordering="n_skipped")
    def skipped(self, run):
        return self._link(run, State.SKIPPED, run.n_skipped)

    @admin.display(description="failed", ordering="n_failed")
    def failed(self, run):
        return self._link(run, State.FAILED, run.n_failed)

    @admin.display(description="still owed", ordering="n_owed")
    def owed(self, run):
        return run.n_owed

    @admin.display(description="why skipped or failed")
    def reasons(self, run):
        rows = (
            DeliveryMessage.objects.filter(run=run, state__in=[State.SKIPPED, State.FAILED])
            .values("state", "last_error")
            .annotate(n=Count("id"))
            .order_by("-n", "state")[:50]
        )
        if not rows:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{} × {}: {}</li>", ((r["n"], r["state"], r["last_error"]) for r in rows)
            ),
        )


@admin.register(DeliveryMessage)
class DeliveryMessageAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["run", "profile", "ref", "state", "attempts", "last_error", "sent_at", "updated_at"]
    list_filter = ["state", "run__kind"]
    search_fields = ["profile__display_name", "profile__user__email", "run__period"]
    list_select_related = ["run", "profile"]
    raw_id_fields = ["profile", "run"]
