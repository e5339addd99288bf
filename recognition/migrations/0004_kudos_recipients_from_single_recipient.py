"""Every kudos given before kudos could have several recipients and values keeps its one recipient and
its one value, in the new tables (in batches, so a large company's history does not load at once)."""

from django.db import migrations

BATCH = 5000


def copy_forward(apps, schema_editor):
    Kudos = apps.get_model("recognition", "Kudos")
    KudosRecipient = apps.get_model("recognition", "KudosRecipient")
    KudosValue = Kudos.values.through
    last = 0
    while True:
        rows = list(
            Kudos.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "giver_id", "recipient_id", "value_id", "created_at")[:BATCH]
        )
        if not rows:
            return
        KudosRecipient.objects.bulk_create(
            [KudosRecipient(kudos_id=pk, giver_id=g, recipient_id=r, created_at=at) for pk, g, r, _, at in rows],
            ignore_conflicts=True,
        )
        KudosValue.objects.bulk_create(
            [KudosValue(kudos_id=pk, companyvalue_id=v) for pk, _, _, v, _ in rows], ignore_conflicts=True
        )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("recognition", "0003_kudos_many_recipients_and_points_ledger")]
    operations = [migrations.RunPython(copy_forward, migrations.RunPython.noop)]
