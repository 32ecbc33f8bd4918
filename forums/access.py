"""Who may read a forum, its threads and their posts: the one answer every part of the site
asks (forum pages, thread pages, posting, flagging, watching, feeds, notifications, the
member, organisation and practice pages, the sitemap), in two forms that agree: a yes or no
for one person and forum (`may_read`), and filters of what a person may read
(`readable_forums`, `Thread.objects.readable_by`) or of who may read a forum (`readers`).

A forum's audience (`Forum.audience`) is everyone, signed-in members, the members of one
organisation, or site editors; site editors read every forum, since they moderate them all.
Inactive accounts read only what everyone reads. To anyone else a restricted forum and its
threads do not exist: views answer 404, as for a wrong address, so that nobody learns they
are there. The search holds public threads only (`forums.search_documents`), so the search
page, its feeds, the read API and the newsletters never show another."""

from django.db.models import Exists, OuterRef, Q

from editorial.permissions import is_site_editor, site_editors
from members.models import Membership
from members.permissions import organisation_roles

from .models import Audience


def _signed_in(user):
    return user.is_authenticated and user.is_active


def may_read(user, forum):
    """Whether `user` may read `forum` and its threads."""
    if forum.audience == Audience.EVERYONE:
        return True
    if not _signed_in(user):
        return False
    if is_site_editor(user):
        return True
    if forum.audience == Audience.MEMBERS:
        return True
    if forum.audience == Audience.ORGANISATION:
        return forum.organisation_id is not None and forum.organisation_id in (
            organisation_roles(user)
        )
    return False


def public_forums(prefix=""):
    """A filter of the forums everyone reads; `prefix` leads to the forum (`"forum__"` from
    a thread, `"thread__forum__"` from a post)."""
    return Q(**{f"{prefix}audience": Audience.EVERYONE})


def readable_forums(user, prefix=""):
    """A filter of the forums `user` may read (as `may_read`); `prefix` as in
    `public_forums`."""
    if not _signed_in(user):
        return public_forums(prefix)
    if is_site_editor(user):
        return Q()
    # A subquery, not a list: the filter costs no query of its own.
    memberships = Membership.objects.filter(user=user.pk).values("organisation")
    return (
        public_forums(prefix)
        | Q(**{f"{prefix}audience": Audience.MEMBERS})
        | Q(
            **{
                f"{prefix}audience": Audience.ORGANISATION,
                f"{prefix}organisation__in": memberships,
            }
        )
    )


def readers(forum):
    """A filter of the accounts that may read `forum` (as `may_read`)."""
    if forum.audience == Audience.EVERYONE:
        return Q()
    editors = Q(pk__in=site_editors().values("pk"))
    if forum.audience == Audience.MEMBERS:
        return Q(is_active=True)
    if forum.audience == Audience.ORGANISATION and forum.organisation_id is not None:
        members = Membership.objects.filter(user=OuterRef("pk"), organisation=forum.organisation_id)
        return Q(is_active=True) & (editors | Q(Exists(members)))
    return Q(is_active=True) & editors
