"""Who may do what with an organisation's content, profile and memberships.

Site editors
    Members of a group with "publish" permission over a page (the "Site editors" group on
    the root page, see `members.groups`), and superusers (`editorial.permissions`). They
    keep Wagtail's normal rights: they edit, publish, unpublish, move and delete every page,
    review the moderation workflow, and manage themes, organisations and memberships.

Everyone else works through memberships of organisations. A practice or guide belongs to
its *lead organisation*; the roles are cumulative:

member
    Creates practices and guides for the organisation, edits them, views their revisions
    and submits them for moderation. Never publishes, unpublishes or moves a page.
editor
    A member who may also delete the organisation's pages that are not live (drafts, and
    pages a site editor has unpublished), and edit the organisation's profile.
admin
    An editor who may also add, change and remove the organisation's memberships.

Nobody but a site editor may touch a page without a lead organisation.
"""

from django.db.models import Q
from wagtail.models import PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy

from editorial.permissions import is_site_editor

from .models import Membership

ROLE_RANK = {Membership.Role.MEMBER: 1, Membership.Role.EDITOR: 2, Membership.Role.ADMIN: 3}
_ROLES_CACHE = "_organisation_roles"


def organisation_roles(user):
    """{organisation id: role} for the user, cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return {}
    roles = getattr(user, _ROLES_CACHE, None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        setattr(user, _ROLES_CACHE, roles)
    return roles


def has_role(user, organisation_id, minimum):
    """Whether the user has at least `minimum` role in the organisation."""
    role = organisation_roles(user).get(organisation_id)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def organisations_with_role(user, minimum):
    """Ids of the organisations in which the user has at least the `minimum` role."""
    return [
        organisation_id
        for organisation_id, role in organisation_roles(user).items()
        if ROLE_RANK[role] >= ROLE_RANK[minimum]
    ]


class OrganisationPagePermissionTester(PagePermissionTester):
    """The permission tester of practices and guides (`LibraryPage.permissions_for_user`).

    Site editors are tested exactly as Wagtail would. Everyone else is tested against their
    role in the page's lead organisation (see the module docstring); Wagtail's own "owner
    may edit what they added" rule does not apply, so leaving an organisation ends one's
    rights over its pages.
    """

    def __init__(self, user, page):
        super().__init__(user, page)
        self.is_moderator = is_site_editor(user)
        self.role = (
            None if self.is_moderator else organisation_roles(user).get(page.lead_organisation_id)
        )

    def _has_role(self, minimum):
        return self.role is not None and ROLE_RANK[self.role] >= ROLE_RANK[minimum]

    def can_edit(self):
        if self.is_moderator or not self.user.is_active:
            return super().can_edit()
        return not self.page_is_root and self._has_role(Membership.Role.MEMBER)

    def can_delete(self, ignore_bulk=False):
        if self.is_moderator or not self.user.is_active:
            return super().can_delete(ignore_bulk=ignore_bulk)
        return (
            self._has_role(Membership.Role.EDITOR)
            and not self.page.live
            and not self.page.get_descendants(inclusive=True).filter(live=True).exists()
        )

    def can_submit_for_moderation(self):
        return super().can_submit_for_moderation() and (self.is_moderator or self.can_edit())

    def can_view_revisions(self):
        return super().can_view_revisions() and (self.is_moderator or self.can_edit())

    def can_copy(self):
        return self.can_edit()

    # Publishing and everything that changes what the public sees at once stays with the
    # site editors; Wagtail already ties these to "publish", this only makes it explicit.
    def can_publish(self):
        return self.is_moderator and super().can_publish()

    def can_unpublish(self):
        return self.is_moderator and super().can_unpublish()

    def can_publish_subpage(self):
        return self.is_moderator and super().can_publish_subpage()

    def can_move(self):
        return self.is_moderator and super().can_move()

    def can_reorder_children(self):
        return self.is_moderator and super().can_reorder_children()


class OrganisationPermissionPolicy(ModelPermissionPolicy):
    """Site editors (Django model permissions) manage every organisation; an organisation's
    editors and admins may view and change its profile, not create or delete one."""

    member_actions = {"change", "view"}
    minimum_role = Membership.Role.EDITOR

    def _organisation_id(self, instance):
        return instance.pk

    def _has_model_permission(self, user, action):
        return ModelPermissionPolicy.user_has_permission(self, user, action)

    def _member_queryset(self, organisation_ids):
        return self.model._default_manager.filter(pk__in=organisation_ids)

    def user_has_permission(self, user, action):
        if self._has_model_permission(user, action):
            return True
        return action in self.member_actions and bool(
            organisations_with_role(user, self.minimum_role)
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if self._has_model_permission(user, action):
            return True
        return action in self.member_actions and has_role(
            user, self._organisation_id(instance), self.minimum_role
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self._has_model_permission(user, action) for action in actions):
            return self.model._default_manager.all()
        if not self.member_actions.intersection(actions):
            return self.model._default_manager.none()
        return self._member_queryset(organisations_with_role(user, self.minimum_role))

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if not self.member_actions.intersection(actions):
            return users
        return (
            users.model._default_manager.filter(is_active=True)
            .filter(
                Q(pk__in=users.values("pk"))
                | Q(memberships__role__in=self._roles_at_least(self.minimum_role))
            )
            .distinct()
        )

    @staticmethod
    def _roles_at_least(minimum):
        return [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[minimum]]


class MembershipPermissionPolicy(OrganisationPermissionPolicy):
    """Site editors manage every membership; an organisation's admins add, change and remove
    the memberships of their own organisation."""

    member_actions = {"add", "change", "delete", "view"}
    minimum_role = Membership.Role.ADMIN

    def _organisation_id(self, instance):
        return instance.organisation_id

    def _member_queryset(self, organisation_ids):
        return self.model._default_manager.filter(organisation_id__in=organisation_ids)
