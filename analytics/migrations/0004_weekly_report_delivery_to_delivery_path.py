"""Weekly report deliveries move to the delivery path (delivery.DeliveryMessage): the copies already
sent are carried over as sent, so a rerun of that week sends nobody a second one."""

from django.db import migrations


def carry_over(apps, schema_editor):
    WeeklyReportDelivery = apps.get_model("analytics", "WeeklyReportDelivery")
    DeliveryRun = apps.get_model("delivery", "DeliveryRun")
    DeliveryMessage = apps.get_model("delivery", "DeliveryMessage")
    runs = {}
    rows = []
    for row in WeeklyReportDelivery.objects.order_by("week_start", "id"):
        if row.week_start not in runs:
            runs[row.week_start], _ = DeliveryRun.objects.get_or_create(
                kind="weekly_report", period=row.week_start.isoformat()
            )
        rows.append(
            DeliveryMessage(
                run=runs[row.week_start],
                profile_id=row.profile_id,
                state="sent",
                attempts=1,
                sent_at=row.sent_at,
                updated_at=row.sent_at,
            )
        )
    DeliveryMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_weekly_report_delivery"),
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="WeeklyReportDelivery"),
    ]
