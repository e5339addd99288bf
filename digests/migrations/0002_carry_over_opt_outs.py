"""People who had turned the daily digest off (profiles.Profile.digest_opt_in) keep it off."""

from django.db import migrations


def carry_over(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    DigestSetting = apps.get_model("digests", "DigestSetting")
    ids = Profile.objects.filter(digest_opt_in=False).values_list("id", flat=True)
    DigestSetting.objects.bulk_create(
        [DigestSetting(profile_id=pk, frequency="never") for pk in ids.iterator(chunk_size=2000)],
        batch_size=2000,
        ignore_conflicts=True,
    )


def carry_back(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    DigestSetting = apps.get_model("digests", "DigestSetting")
    never = DigestSetting.objects.filter(frequency="never").values("profile_id")
    Profile.objects.filter(id__in=never).update(digest_opt_in=False)


class Migration(migrations.Migration):
    dependencies = [("digests", "0001_initial")]

    operations = [migrations.RunPython(carry_over, carry_back)]
