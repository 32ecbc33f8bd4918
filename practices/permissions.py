"""Who may manage the library's quality reviews: site editors, and nobody else."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from editorial.permissions import is_site_editor
from members.groups import SITE_EDITORS


class SiteEditorPermissionPolicy(ModelPermissionPolicy):
    """Everything for site editors, nothing for anyone else."""

    def user_has_permission(self, user, action):
        return is_site_editor(user)

    def user_has_any_permission(self, user, actions):
        return is_site_editor(user)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SITE_EDITORS), is_active=True)
            .distinct()
        )
