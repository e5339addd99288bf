"""The "connector" badge counts contact (replies, @mentions, kudos; twice with each department), no longer
reactions: the rule's label, and the starting badge's explanation where an admin has not rewritten it."""

from django.db import migrations, models

OLD = (
    "In one month, replied to, reacted to, @mentioned or thanked people of 3 departments other than their own."
)
NEW = (
    "In one month, replied to, @mentioned or thanked people of 3 departments other than their own, "
    "at least twice each (reactions don't count)."
)


def describe(apps, schema_editor, *, old: str, new: str) -> None:
    # One row at most (the badge's slug is unique): no lock worth speaking of.
    apps.get_model("recognition", "Badge").objects.filter(slug="connector", description=old).update(
        description=new
    )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0017_badge_rules_tag_connector_welcomer")]

    operations = [
        migrations.AlterField(
            model_name="badge",
            name="rule",
            field=models.CharField(
                choices=[
                    ("given", "Gave at least N kudos"),
                    ("received", "Received at least N public kudos"),
                    ("value", "Received at least N public kudos for one value"),
                    ("posts", "Wrote at least N posts"),
                    ("answers", "Had at least N answers chosen as the best"),
                    ("tag", "Had at least N answers chosen as the best on questions with the badge's #tag"),
                    ("connector", "Replied to, mentioned or thanked people of N other departments, twice each"),
                    ("welcomer", "Was the first to reply to the posts of N newcomers"),
                    ("manual", "Given by an admin"),
                ],
                default="manual",
                max_length=10,
            ),
        ),
        migrations.RunPython(
            lambda apps, editor: describe(apps, editor, old=OLD, new=NEW),
            lambda apps, editor: describe(apps, editor, old=NEW, new=OLD),
        ),
    ]
