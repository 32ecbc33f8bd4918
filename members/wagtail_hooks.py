"""Organisations and memberships in the admin's "Library" menu."""

from wagtail.snippets.models import register_snippet

from .viewsets import MembershipViewSet, OrganisationViewSet

register_snippet(OrganisationViewSet)
register_snippet(MembershipViewSet)
