from django.db import migrations


def forwards(apps, schema_editor):
    from members.groups import ensure_groups_and_workflow

    ensure_groups_and_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("taxonomy", "0002_themes_and_countries"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
