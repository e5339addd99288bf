"""Skill.people_count: active people listing each skill, kept by expertise.services.

The existing skills are counted once here (one grouped query), as skills_people_recount does.
"""

from django.db import migrations, models
from django.db.models import Count


def count_people(apps, schema_editor):
    Skill = apps.get_model("expertise", "Skill")
    ProfileSkill = apps.get_model("expertise", "ProfileSkill")
    counts = dict(
        ProfileSkill.objects.filter(content_object__user__is_active=True)
        .values_list("tag_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    skills = list(Skill.objects.filter(pk__in=counts).only("id"))
    for skill in skills:
        skill.people_count = counts[skill.pk]
    Skill.objects.bulk_update(skills, ["people_count"], batch_size=1000)


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
        # Backwards: the column goes with the field, nothing to undo.
        migrations.RunPython(count_people, migrations.RunPython.noop, elidable=True),
    ]
