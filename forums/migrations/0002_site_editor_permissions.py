"""Site editors manage forums and moderate threads and posts (see forums/wagtail_hooks.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SITE_EDITORS = "Site editors"
MODELS = ("forum", "thread", "post")
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    # On a fresh database the permissions of this app's models only exist after the last
    # migration (post_migrate); create them now so that the group can hold them.
    app_config = apps.get_app_config("forums")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = models_module

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
