from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from stagewise.notifications.selectors import notification_list
from stagewise.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 50


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    notifications = list(notification_list(user=request.user)[:PAGE_SIZE])  # type: ignore[arg-type]
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": notifications,
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
