"""Who is a site editor: the one answer every app asks.

Site editors are superusers and the users allowed to publish pages (the "Site editors"
group holds "publish" on the root page, see `members.groups`). They review and publish
everything, moderate the forums and manage the library's themes, organisations and
memberships."""

from wagtail.permission_policies.pages import PagePermissionPolicy


def is_site_editor(user):
    """Superusers and active users allowed to publish pages somewhere in the tree. Wagtail
    caches the user's page permissions on the user object, so asking again is free."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or PagePermissionPolicy().user_has_permission(user, "publish")


def site_editors():
    """The active accounts `is_site_editor` says yes to, as a queryset (for filters that
    pick people, such as who hears of a post)."""
    return PagePermissionPolicy().users_with_permission("publish")
