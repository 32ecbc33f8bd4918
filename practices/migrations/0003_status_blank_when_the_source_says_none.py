"""A practice's status may be blank: the source does not say. Participedia's export has no
status, yet every imported case got the field's old default, "ongoing"; that is cleared on
the cases no one has edited since (a page with a revision was saved by a person, whose
choice stays)."""

from django.db import migrations, models

PARTICIPEDIA_CASES = "participedia:case:"


def clear_invented_status(apps, schema_editor):
    PracticePage = apps.get_model("practices", "PracticePage")
    PracticePage.objects.filter(
        external_id__startswith=PARTICIPEDIA_CASES,
        status="ongoing",
        latest_revision__isnull=True,
    ).update(status="")


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0002_contact_message_sent"),
    ]

    operations = [
        migrations.AlterField(
            model_name="practicepage",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[("planned", "Planned"), ("ongoing", "Ongoing"), ("completed", "Completed")],
                db_index=True,
                default="",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(clear_invented_status, migrations.RunPython.noop),
    ]
