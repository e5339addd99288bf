"""Skill.people_count and Interest.people_count: the active people listing each, kept by
expertise.services.

The existing tags are counted once here (one grouped query per model), as people_counts_recount does.
"""

from django.db import migrations, models
from django.db.models import Count


def count_people(apps, schema_editor):
    for tag_model, item_model in (("Skill", "ProfileSkill"), ("Interest", "ProfileInterest")):
        Tag = apps.get_model("expertise", tag_model)
        Item = apps.get_model("expertise", item_model)
        counts = dict(
            Item.objects.filter(content_object__user__is_active=True)
            .values_list("tag_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        tags = list(Tag.objects.filter(pk__in=counts).only("id"))
        for tag in tags:
            tag.people_count = counts[tag.pk]
        Tag.objects.bulk_update(tags, ["people_count"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("expertise", "0004_ranked_people_and_latest_endorsers_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="skill",
            name="people_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="interest",
            name="people_count",
            field=models.PositiveIntegerField(default=0),
        ),
        # Backwards: the columns go with the fields, nothing to undo.
        migrations.RunPython(count_people, migrations.RunPython.noop, elidable=True),
    ]
