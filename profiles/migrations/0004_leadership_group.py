from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Leadership")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_profile_details")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
