# Suppressions are found by a keyed hash of their address, so that an erased address keeps
# only the hash (delivery.erasure).

import django.db.models.functions.text
from django.db import migrations, models


def hash_addresses(apps, schema_editor):
    from delivery.models import address_hash

    Suppression = apps.get_model("delivery", "Suppression")
    for row in Suppression.objects.all():
        row.address_hash = address_hash(row.address)
        row.save(update_fields=["address_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="suppression",
            name="address_hash",
            field=models.CharField(
                default="", max_length=64, verbose_name="address (keyed hash)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(hash_addresses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="suppression",
            name="address_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="address (keyed hash)"),
        ),
        migrations.AlterField(
            model_name="suppression",
            name="address",
            field=models.CharField(blank=True, max_length=254, verbose_name="address"),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                django.db.models.functions.text.Upper("recipient"), name="delivery_recipient_upper"
            ),
        ),
    ]
