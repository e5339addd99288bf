"""Digest deliveries move to the delivery path (delivery.DeliveryMessage): the digests already sent
are carried over as sent, so the day of the upgrade sends nobody a second one."""

from django.db import migrations


def carry_over(apps, schema_editor):
    DigestDelivery = apps.get_model("feed", "DigestDelivery")
    DeliveryRun = apps.get_model("delivery", "DeliveryRun")
    DeliveryMessage = apps.get_model("delivery", "DeliveryMessage")
    runs = {}
    batch = []
    for row in DigestDelivery.objects.order_by("day", "id").iterator(chunk_size=2000):
        if row.day not in runs:
            runs[row.day], _ = DeliveryRun.objects.get_or_create(kind="digest", period=row.day.isoformat())
        batch.append(
            DeliveryMessage(
                run=runs[row.day],
                profile_id=row.profile_id,
                state="sent",
                attempts=1,
                sent_at=row.sent_at,
                updated_at=row.sent_at,
            )
        )
        if len(batch) >= 2000:
            DeliveryMessage.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    DeliveryMessage.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0010_post_images"),
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="DigestDelivery"),
    ]
