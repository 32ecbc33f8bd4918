"""The two Wagtail groups the site runs on, their permissions and the moderation workflow.

- "Site editors" review and publish everything. They are Wagtail's "Moderators" group,
  renamed, and the only reviewers of the approval workflow set on the root page (so on
  every locale's tree).
- "Organisation members" write their organisations' practices and guides. They are
  Wagtail's "Editors" group, renamed and reduced to "add" on the page tree: what they may
  then edit, submit or delete is decided page by page by
  `members.permissions.OrganisationPagePermissionTester`, from their memberships. Users
  join and leave this group with their memberships (see `members.signal_handlers`).

`ensure_groups_and_workflow(apps)` is run by a data migration of this app, so a fresh
database has all of this; it works on historical models and is idempotent.
"""

from django.contrib.auth.management import create_permissions

SITE_EDITORS = "Site editors"
ORGANISATION_MEMBERS = "Organisation members"
APPROVAL_TASK = "Site editors approval"
APPROVAL_WORKFLOW = "Site editors approval"

# Wagtail's initial data creates these groups; we take them over rather than add a second
# pair that would confuse whoever opens Settings → Groups.
LEGACY_GROUP_NAMES = {SITE_EDITORS: "Moderators", ORGANISATION_MEMBERS: "Editors"}

SITE_EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
ORGANISATION_MEMBER_PAGE_PERMISSIONS = ["add_page"]

SITE_EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("taxonomy", "theme", "add_theme"),
    ("taxonomy", "theme", "change_theme"),
    ("taxonomy", "theme", "delete_theme"),
    ("taxonomy", "theme", "view_theme"),
    ("taxonomy", "country", "view_country"),
    ("members", "organisation", "add_organisation"),
    ("members", "organisation", "change_organisation"),
    ("members", "organisation", "delete_organisation"),
    ("members", "organisation", "view_organisation"),
    ("members", "membership", "add_membership"),
    ("members", "membership", "change_membership"),
    ("members", "membership", "delete_membership"),
    ("members", "membership", "view_membership"),
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "delete_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "delete_document"),
    ("wagtaildocs", "document", "choose_document"),
]
# Members upload and choose images and documents; Wagtail's ownership rules then let them
# edit the files they uploaded themselves, and nobody else's.
ORGANISATION_MEMBER_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]
COLLECTION_MODELS = {"wagtailimages", "wagtaildocs"}


def _group(Group, name):
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group
    legacy = Group.objects.filter(name=LEGACY_GROUP_NAMES[name]).first()
    if legacy is not None:
        legacy.name = name
        legacy.save(update_fields=["name"])
        return legacy
    return Group.objects.create(name=name)


def _permissions(apps, specs):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for app_label, model, codename in specs:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": codename.replace("_", " ").capitalize()},
        )
        permissions.append(permission)
    return permissions


def _set_page_permissions(apps, group, root, codenames):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    wanted = _permissions(apps, [("wagtailcore", "page", codename) for codename in codenames])
    GroupPagePermission.objects.filter(group=group, page=root).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def _set_collection_permissions(apps, group, collection, specs):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    wanted = _permissions(apps, [spec for spec in specs if spec[0] in COLLECTION_MODELS])
    GroupCollectionPermission.objects.filter(group=group, collection=collection).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def _ensure_workflow(apps, site_editors, root):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    task = (
        GroupApprovalTask.objects.filter(name=APPROVAL_TASK).first()
        or GroupApprovalTask.objects.filter(groups=site_editors).order_by("pk").first()
    )
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=APPROVAL_TASK, content_type=content_type, active=True
        )
    task.name = APPROVAL_TASK
    task.active = True
    task.save()
    task.groups.set([site_editors])

    root_link = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
    workflow = root_link.workflow if root_link else None
    if workflow is None:
        workflow = Workflow.objects.filter(name=APPROVAL_WORKFLOW).first() or (
            Workflow.objects.create(name=APPROVAL_WORKFLOW, active=True)
        )
    workflow.name = APPROVAL_WORKFLOW
    workflow.active = True
    workflow.save()
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow,
            task=task,
            sort_order=WorkflowTask.objects.filter(workflow=workflow).count(),
        )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def create_model_permissions(apps, label):
    """Create the permissions of app `label`'s models now, from a migration (`apps` is its):
    on a fresh database Django creates them only after the last migration (post_migrate),
    too late for a migration that gives them to a group."""
    app_config = apps.get_app_config(label)
    # create_permissions() skips app configs without a models module, which is what the
    # migration framework's historical app configs look like.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = models_module


def ensure_groups_and_workflow(apps):
    """Create or repair the groups, their permissions and the approval workflow."""
    for label in ("taxonomy", "members"):
        create_model_permissions(apps, label)

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    site_editors = _group(Group, SITE_EDITORS)
    members = _group(Group, ORGANISATION_MEMBERS)

    site_editors.permissions.add(*_permissions(apps, SITE_EDITOR_MODEL_PERMISSIONS))
    members.permissions.set(_permissions(apps, ORGANISATION_MEMBER_MODEL_PERMISSIONS))

    _set_page_permissions(apps, site_editors, root, SITE_EDITOR_PAGE_PERMISSIONS)
    _set_page_permissions(apps, members, root, ORGANISATION_MEMBER_PAGE_PERMISSIONS)
    _set_collection_permissions(apps, site_editors, root_collection, SITE_EDITOR_MODEL_PERMISSIONS)
    _set_collection_permissions(
        apps, members, root_collection, ORGANISATION_MEMBER_MODEL_PERMISSIONS
    )
    _ensure_workflow(apps, site_editors, root)
