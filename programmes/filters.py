import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import StyledFilterSet
from programmes.enums import OfferKind, ProgrammeStatus
from programmes.models import Programme, Theme


class ProgrammeFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    territory = django_filters.CharFilter(label=_("Territory"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProgrammeStatus.choices, empty_label=_("All statuses")
    )
    offer_kind = django_filters.ChoiceFilter(
        label=_("Offer kind"),
        choices=OfferKind.choices,
        method="filter_offer_kind",
        empty_label=_("All kinds"),
    )

    class Meta:
        model = Programme
        fields = ["q", "territory", "status", "offer_kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(territory__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_offer_kind(self, queryset, name, value):
        return queryset.filter(offers__kind=value).distinct()


class ThemeFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Active")), ("inactive", _("Switched off"))],
        empty_label=_("All themes"),
        method="filter_status",
    )

    class Meta:
        model = Theme
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")
