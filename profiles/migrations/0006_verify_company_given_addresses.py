"""Records verified email addresses for the accounts the company created before Hive did so itself.

An account with no allauth EmailAddress row at all was not made through sign-up (which always records
the address, verified or not) but by the company: the HR import, seed_demo, the admin or
createsuperuser. Its address was given by the company, so it is recorded as verified and primary, as
those paths now do; without it single sign-on would refuse to join the person to their account, and
allauth would wipe its password. Accounts that hold any address row are left alone: that address was
typed in by someone and only its owner can verify it. Addresses another account already holds are
skipped too. Reversing leaves the rows, which the previous code simply ignores.
"""

from django.db import migrations

BATCH_SIZE = 1000


def verify_company_given_addresses(apps, schema_editor):
    User = apps.get_model("profiles", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    with_rows = set(EmailAddress.objects.values_list("user_id", flat=True).distinct())
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    rows = []
    for user_id, email in User.objects.exclude(email="").order_by("pk").values_list("pk", "email").iterator():
        if user_id in with_rows or email.lower() in taken:
            continue
        taken.add(email.lower())
        rows.append(EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=True))
    EmailAddress.objects.bulk_create(rows, batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0005_import_run"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_company_given_addresses, migrations.RunPython.noop)]
