"""Interest.people_count: active people listing each interest, kept by expertise.services.

The existing interests are counted once here (one grouped query), as people_counts_recount does.
"""

from django.db import migrations, models
from django.db.models import Count


def count_people(apps, schema_editor):
    Interest = apps.get_model("expertise", "Interest")
    ProfileInterest = apps.get_model("expertise", "ProfileInterest")
    counts = dict(
        ProfileInterest.objects.filter(content_object__user__is_active=True)
        .values_list("tag_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    interests = list(Interest.objects.filter(pk__in=counts).only("id"))
    for interest in interests:
        interest.people_count = counts[interest.pk]
    Interest.objects.bulk_update(interests, ["people_count"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("expertise", "0005_skill_people_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="interest",
            name="people_count",
            field=models.PositiveIntegerField(default=0),
        ),
        # Backwards: the column goes with the field, nothing to undo.
        migrations.RunPython(count_people, migrations.RunPython.noop, elidable=True),
    ]
