import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaires.enums import BeneficiaryKind, Situation
from beneficiaires.models import Beneficiary
from core.filters import StyledFilterSet


class BeneficiaryFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=BeneficiaryKind.choices, empty_label=_("All kinds")
    )
    situation = django_filters.ChoiceFilter(
        label=_("Situation"), choices=Situation.choices, empty_label=_("All situations")
    )

    class Meta:
        model = Beneficiary
        fields = ["q", "kind", "situation"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(email__icontains=value)
            | Q(postal_code__startswith=value)
            | Q(territory__icontains=value)
        )
