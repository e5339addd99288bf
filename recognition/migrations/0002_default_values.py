from django.db import migrations

from recognition.defaults import DEFAULT_VALUES


def create_values(apps, schema_editor):
    CompanyValue = apps.get_model("recognition", "CompanyValue")
    if CompanyValue.objects.exists():
        return
    for position, (name, emoji, description) in enumerate(DEFAULT_VALUES):
        CompanyValue.objects.create(name=name, emoji=emoji, description=description, position=position)


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial")]
    operations = [migrations.RunPython(create_values, migrations.RunPython.noop)]
