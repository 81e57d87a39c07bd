"""The journal's filters: period, action, kind of record, who."""

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditEntry
from core.filters import StyledFilterSet


def kind_label(object_type: str) -> str:
    """The human name of a kind of record ("seances.closingrecord" → "Closing record")."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(model._meta.verbose_name)


def kind_choices(entries: QuerySet[AuditEntry]) -> list[tuple[str, str]]:
    """The kinds of record present among `entries`, by label (one query)."""
    types = entries.order_by().values_list("object_type", flat=True).distinct()
    return sorted(((value, kind_label(value)) for value in types), key=lambda choice: choice[1])


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return data


class AuditEntryFilter(StyledFilterSet):
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("All actions")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of record"),
        field_name="object_type",
        choices=[],
        empty_label=_("All kinds of record"),
    )
    who = django_filters.CharFilter(label=_("Who (name or email)"), method="by_actor")

    class Meta:
        model = AuditEntry
        fields = ["since", "until", "action", "kind", "who"]
        form = PeriodForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["kind"].choices = [
            ("", _("All kinds of record")),
            *kind_choices(self.queryset),
        ]
        self.form.fields["who"].widget.input_type = "search"

    def by_actor(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(
                Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
                | Q(actor__email__icontains=word)
            )
        return queryset
