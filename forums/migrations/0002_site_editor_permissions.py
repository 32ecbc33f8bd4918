"""Site editors manage forums and moderate threads and posts (see forums/wagtail_hooks.py)."""

from django.db import migrations

from members.groups import SITE_EDITORS, create_model_permissions

MODELS = ("forum", "thread", "post")
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    create_model_permissions(apps, "forums")

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SITE_EDITORS).first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="forums", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SITE_EDITORS).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="forums"))


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0001_initial"),
        ("members", "0002_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
