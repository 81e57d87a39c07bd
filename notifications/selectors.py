"""Reads for the notification pages: a person's phone, the coordinator's log and its filters."""

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.filters import StyledFilterSet
from notifications.enums import Channel, NotificationKind, NotificationStatus
from notifications.models import Notification
from programmes.models import Programme

# The log's statuses: "retrying" is a pending row that already failed at least once.
RETRYING = "retrying"
LOG_STATUSES = [
    (NotificationStatus.PENDING.value, _("Pending")),
    (RETRYING, _("Retrying")),
    (NotificationStatus.SENT.value, _("Sent")),
    (NotificationStatus.FAILED.value, _("Failed")),
    (NotificationStatus.CANCELLED.value, _("Cancelled")),
    (NotificationStatus.SKIPPED.value, _("Skipped")),
]


def phone_for(user) -> str:
    """The phone a text message can go to: the account's, else the beneficiary record's."""
    if user.phone:
        return user.phone
    profile = getattr(user, "beneficiary_profile", None)
    return profile.phone if profile is not None else ""


def can_view_notification_log(user) -> bool:
    return user.is_superuser or user.is_coordinator


def coordinated_programmes(user) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    organizations = user.organization_ids_with_role(Role.COORDINATOR)
    return Programme.objects.filter(Q(organization_id__in=organizations) | Q(coordinators=user))


def notifications_for_coordinator(user) -> QuerySet[Notification]:
    """The rows of the organisations and programmes the person coordinates (all for an admin)."""
    rows = Notification.objects.all()
    if not user.is_superuser:
        organizations = user.organization_ids_with_role(Role.COORDINATOR)
        programmes = Programme.objects.filter(coordinators=user).values("pk")
        rows = rows.filter(Q(organization_id__in=organizations) | Q(programme_id__in=programmes))
    return rows


def status_counts(rows: QuerySet[Notification]) -> dict[str, int]:
    """How many rows per log status, in one query."""
    pending = Q(status=NotificationStatus.PENDING)
    return rows.aggregate(
        **{
            NotificationStatus.PENDING.value: Count("pk", filter=pending & Q(attempts=0)),
            RETRYING: Count("pk", filter=pending & Q(attempts__gt=0)),
            **{
                status: Count("pk", filter=Q(status=status))
                for status in (
                    NotificationStatus.SENT,
                    NotificationStatus.FAILED,
                    NotificationStatus.CANCELLED,
                    NotificationStatus.SKIPPED,
                )
            },
        }
    )


def mask_address(address: str) -> str:
    """Enough of an address to recognise it, not to copy it: s••••@example.org, ••••••78."""
    if "@" in address:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}{'•' * max(len(local) - 1, 3)}@{domain}"
    digits = address.replace(" ", "")
    return "•" * max(len(digits) - 2, 3) + digits[-2:]


class NotificationLogFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=LOG_STATUSES, empty_label=_("All statuses"), method="by_status"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=NotificationKind.choices, empty_label=_("All kinds")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All channels")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.none(), empty_label=_("All programmes")
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="scheduled_for",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="scheduled_for",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Notification
        fields = ["status", "kind", "channel", "programme", "since", "until"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["programme"].queryset = (
            coordinated_programmes(user).distinct().order_by("title", "pk")
        )

    def by_status(self, queryset, name, value):
        if value == RETRYING:
            return queryset.filter(status=NotificationStatus.PENDING, attempts__gt=0)
        if value == NotificationStatus.PENDING:
            return queryset.filter(status=NotificationStatus.PENDING, attempts=0)
        return queryset.filter(status=value)
