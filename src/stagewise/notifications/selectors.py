"""Reading notifications: a person sees only their own, whatever role they are acting in."""

from django.db.models import QuerySet
from django.http import Http404

from stagewise.accounts.models import User
from stagewise.keyset import KeysetOrder
from stagewise.learners.access import notices_withheld_from
from stagewise.notifications.models import UNREAD, Notification


def own_notifications(user: User, *, is_carer: bool = True) -> QuerySet[Notification]:
    """The person's notifications, less those about a part of a young person's record the young
    person now keeps from them as a parent (ADR 0021). `is_carer=False` (known from the roles
    their session keeps) skips reading young people's decisions: nothing is kept from them."""
    notices = Notification.objects.filter(recipient=user)
    withheld = notices_withheld_from(user.pk) if is_carer else None
    return notices if withheld is None else notices.exclude(withheld)


# Unread first, then newest first within each, by cursor (stagewise/keyset.py): served by the
# index notification_list_order (recipient, UNREAD and these keys, all descending).
NOTIFICATION_LIST_ORDER = KeysetOrder(keys=(UNREAD, "created_at", "pk"), descending=True)


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, unread first, newest first within each
    (NOTIFICATION_LIST_ORDER, in which their page is read)."""
    return own_notifications(user).order_by(UNREAD.desc(), "-created_at", "-pk")


def notification_unread_count(*, user: User, is_carer: bool = True) -> int:
    return own_notifications(user, is_carer=is_carer).filter(read_at__isnull=True).count()


def notification_get(*, user: User, notification_id: int) -> Notification:
    """The person's own notification; anyone else's is not found, as if it did not exist."""
    notification = own_notifications(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification
