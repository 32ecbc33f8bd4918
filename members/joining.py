"""Asking to join an organisation, and the decision of its administrators (site editors
decide for an organisation that has none). Every step emails the people concerned through
the delivery pipeline, in the same transaction as the change it reports."""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.pipeline import queue

from .groups import SITE_EDITORS
from .models import JoinRequest, Membership, person_name
from .permissions import has_role, is_site_editor

EMAIL_KIND = "membership"


class JoinError(Exception):
    """The request cannot be made or decided; the message says why, for the person."""


def deciders(organisation):
    """Who decides requests to join `organisation`: its administrators, else site editors."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = users.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN
    )
    if admins.exists():
        return admins
    return users.filter(Q(is_superuser=True) | Q(groups__name=SITE_EDITORS)).distinct()


def can_decide(user, organisation):
    return has_role(user, organisation.pk, Membership.Role.ADMIN) or is_site_editor(user)


def _emails(recipients, subject, template, context):
    return [
        EmailMessage(
            subject=subject,
            body=render_to_string(template, {**context, "recipient": recipient}),
            to=[recipient.email],
        )
        for recipient in recipients
        if recipient.email
    ]


def ask(user, organisation, message, request):
    """Record `user`'s request to join `organisation` and email the deciders."""
    with transaction.atomic():
        if Membership.objects.filter(user=user, organisation=organisation).exists():
            raise JoinError(
                _("You are already a member of %(organisation)s.")
                % {"organisation": organisation.name}
            )
        # Locks the person's pending requests: two quick clicks make one request.
        pending = JoinRequest.objects.select_for_update().filter(
            user=user, organisation=organisation, status=JoinRequest.Status.PENDING
        )
        if pending.exists():
            raise JoinError(
                _("Your request to join %(organisation)s is waiting for a decision.")
                % {"organisation": organisation.name}
            )
        join_request = JoinRequest.objects.create(
            user=user, organisation=organisation, message=message
        )
        context = {
            "person": person_name(user),
            "organisation": organisation,
            "message": message,
            "requests_url": request.build_absolute_uri(
                reverse("members:join_requests", kwargs={"slug": organisation.slug})
            ),
        }
        subject = _("%(person)s asks to join %(organisation)s") % {
            "person": context["person"],
            "organisation": organisation.name,
        }
        queue(
            EMAIL_KIND,
            _emails(deciders(organisation), subject, "members/email/join_requested.txt", context),
            send_label=f"join request {join_request.pk}",
        )
    return join_request


def decide(join_request, approve, by, request):
    """Approve (making a member) or refuse `join_request`, and email the person and the
    deciders."""
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update()
            .select_related("user", "organisation")
            .get(pk=join_request.pk)
        )
        organisation = join_request.organisation
        if join_request.status != JoinRequest.Status.PENDING:
            raise JoinError(_("This request was already decided."))
        join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
        join_request.decided_at = timezone.now()
        join_request.decided_by = by
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            Membership.objects.get_or_create(
                user=join_request.user,
                organisation=organisation,
                defaults={"role": Membership.Role.MEMBER},
            )
        context = {
            "person": person_name(join_request.user),
            "decider": person_name(by),
            "organisation": organisation,
            "approved": approve,
            "organisation_url": request.build_absolute_uri(organisation.get_absolute_url()),
        }
        values = {"organisation": organisation.name, "person": context["person"]}
        if approve:
            to_person = _("You are now a member of %(organisation)s") % values
            to_deciders = _("%(person)s joined %(organisation)s") % values
        else:
            to_person = _("Your request to join %(organisation)s was declined") % values
            to_deciders = _("%(person)s's request to join %(organisation)s was declined") % values
        messages = _emails(
            [join_request.user], to_person, "members/email/join_decided.txt", context
        ) + _emails(
            deciders(organisation).exclude(pk=join_request.user_id),
            to_deciders,
            "members/email/join_decided_notice.txt",
            context,
        )
        queue(EMAIL_KIND, messages, send_label=f"join request {join_request.pk}")
    return join_request
