from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Organisations and members"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import signal_handlers  # noqa: F401
        from .models import Membership, Organisation
        from .permissions import MembershipPermissionPolicy, OrganisationPermissionPolicy

        # Registered before any admin viewset asks for these models' policies.
        register_permission_policy(Organisation, OrganisationPermissionPolicy(Organisation))
        register_permission_policy(Membership, MembershipPermissionPolicy(Membership))
