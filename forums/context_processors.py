"""The unread notifications count in the site header: one COUNT query, made only when a
signed-in person's page draws it (anonymous pages make none and stay cacheable)."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .access import readable_forums
    from .models import Notification

    def count():
        readable = readable_forums(user, "post__thread__forum__")
        return Notification.objects.unread().filter(readable, recipient=user).count()

    return {"unread_notifications": SimpleLazyObject(count)}
