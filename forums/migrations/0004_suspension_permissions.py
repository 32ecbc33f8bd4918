"""Site editors, the forums' moderators, manage suspensions too (the moderation queue sets
them; the "Suspensions" admin lists, shortens and lifts them)."""

from django.db import migrations

from members.groups import SITE_EDITORS, create_model_permissions

CODENAMES = ["add_suspension", "change_suspension", "delete_suspension", "view_suspension"]


def grant(apps, schema_editor):
    create_model_permissions(apps, "forums")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SITE_EDITORS).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="forums", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SITE_EDITORS).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="forums", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_markdown_moderation"),
        ("members", "0002_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
