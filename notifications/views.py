from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import add_service_errors, paginate, safe_next_url
from notifications import selectors
from notifications.enums import NotificationStatus
from notifications.forms import ESSENTIAL_CHOICES, PreferenceForm
from notifications.models import NotificationPreference
from notifications.services import notification_resend, preference_update

PAGE_SIZE = 30


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Every person chooses their channels and the optional messages they receive."""
    user = request.user
    preference = NotificationPreference.objects.filter(user=user).first()
    preference = preference or NotificationPreference(user=user)
    phone = selectors.phone_for(user)
    form = PreferenceForm(request.POST or None, preference=preference, has_phone=bool(phone))
    if request.method == "POST" and form.is_valid():
        try:
            preference_update(
                user=user,
                email_enabled=form.cleaned_data["email_enabled"],
                sms_enabled=form.sms_choice,
                muted_kinds=form.muted_kinds,
                acting_user=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification preferences have been saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "essential_kinds": [label for _value, label in ESSENTIAL_CHOICES],
            "masked_email": selectors.mask_address(user.email) if user.email else "",
            "masked_phone": selectors.mask_address(phone) if phone else "",
        },
    )


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The coordinator's log of their organisations' notifications, newest first."""
    user = request.user
    if not selectors.can_view_notification_log(user):
        raise PermissionDenied
    rows = selectors.notifications_for_coordinator(user)
    filterset = selectors.NotificationLogFilter(
        request.GET, queryset=rows.select_related("recipient", "programme"), user=user
    )
    pagination = paginate(request, filterset.qs.order_by("-scheduled_for", "-pk"), PAGE_SIZE)
    for notification in pagination["page"].object_list:
        notification.masked_address = selectors.mask_address(notification.to_address)
    counts = selectors.status_counts(rows)
    return render(
        request,
        "notifications/log.html",
        {
            "filter": filterset,
            **pagination,
            "status_counts": [
                (value, label, counts[value]) for value, label in selectors.LOG_STATUSES
            ],
            "next_url": request.get_full_path(),
        },
    )


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a failed notification of the coordinator's organisations back in the queue."""
    user = request.user
    if not selectors.can_view_notification_log(user):
        raise PermissionDenied
    notification = get_object_or_404(selectors.notifications_for_coordinator(user), pk=pk)
    if notification_resend(notification=notification):
        messages.success(request, _("The message is back in the queue: it will be sent again."))
    elif notification.status == NotificationStatus.SENT:
        messages.info(request, _("This message was already sent."))
    else:
        messages.warning(request, _("Only a failed message can be sent again."))
    return redirect(safe_next_url(request, reverse("notifications:log")))
