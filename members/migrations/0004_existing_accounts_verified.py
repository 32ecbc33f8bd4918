"""Accounts made before sign-up existed were made by site staff, who vouched for their
addresses: they keep signing in without confirming them (allauth's mandatory verification
would otherwise stop them at their next sign-in)."""

from django.conf import settings
from django.db import migrations


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    with_address = set(EmailAddress.objects.values_list("user_id", flat=True))
    addresses = []
    for user_id, email in User.objects.exclude(email="").order_by("pk").values_list("pk", "email"):
        email = email.strip().lower()
        # One account per address: a second account with the same one confirms it itself.
        if not email or email in taken or user_id in with_address:
            continue
        taken.add(email)
        addresses.append(EmailAddress(user_id=user_id, email=email, verified=True, primary=True))
    EmailAddress.objects.bulk_create(addresses, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_profiles_and_join_requests"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop)]
