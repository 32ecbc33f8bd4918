"""Keep Wagtail group membership in step with organisation memberships: whoever belongs to
an organisation is in the "Organisation members" group, which opens the admin to them."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .groups import ORGANISATION_MEMBERS
from .models import Membership


def _members_group():
    # Created by the migration members.0002; a missing group is a broken installation.
    return Group.objects.get(name=ORGANISATION_MEMBERS)


@receiver(post_save, sender=Membership)
def join_members_group(sender, instance, raw=False, **kwargs):
    if raw:
        return
    instance.user.groups.add(_members_group())


@receiver(post_delete, sender=Membership)
def leave_members_group(sender, instance, **kwargs):
    user = instance.user
    if not Membership.objects.filter(user=user).exists():
        user.groups.remove(_members_group())
