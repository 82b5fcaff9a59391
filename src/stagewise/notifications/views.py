from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from stagewise.keyset import keyset_page, query_without_cursor
from stagewise.notifications.selectors import NOTIFICATION_LIST_ORDER, notification_list
from stagewise.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 50


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        notification_list(user=request.user),  # type: ignore[arg-type]
        order=NOTIFICATION_LIST_ORDER,
        cursor=request.GET.get("cursor"),
        per_page=PAGE_SIZE,
        salt="notifications:list",
    )
    notifications = page.object_list
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": notifications,
            "page": page,
            "query_without_page": query_without_cursor(request.GET),
            # Unread notices come first: any on the list are on its first page.
            "any_unread": any(notification.is_unread for notification in notifications),
        },
    )


@login_required
@require_POST
def notification_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Marks the notice read, then opens what it is about (or goes back to the list)."""
    notification = notification_mark_read(
        user=request.user,  # type: ignore[arg-type]
        notification_id=notification_id,
    )
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link_url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link_url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")
