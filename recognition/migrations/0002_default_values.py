from django.db import migrations

# A starting set so kudos work on a fresh install; admins rename or replace them in Django admin.
DEFAULT_VALUES = [
    ("Customer first", "🤝", "Went the extra mile for a customer or colleague."),
    ("Own it", "🎯", "Took responsibility and saw it through."),
    ("Better together", "🧩", "Made a team across departments work."),
    ("Keep learning", "💡", "Learned, taught or shared something new."),
    ("Be bold", "🚀", "Tried something new and brave."),
]


def create_values(apps, schema_editor):
    CompanyValue = apps.get_model("recognition", "CompanyValue")
    if CompanyValue.objects.exists():
        return
    for position, (name, emoji, description) in enumerate(DEFAULT_VALUES):
        CompanyValue.objects.create(name=name, emoji=emoji, description=description, position=position)


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial")]
    operations = [migrations.RunPython(create_values, migrations.RunPython.noop)]
