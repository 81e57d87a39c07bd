import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from beneficiaires.enums import BeneficiaryKind, OutreachStage, Priority, Situation, Source
from beneficiaires.models import Beneficiary
from beneficiaires.selectors import visible_programmes
from core.filters import StyledFilterSet
from programmes.models import Programme

# sort key → ORDER BY; every ordering ends on unique columns so pages never overlap.
SORTS = {
    "name": [F("name").asc(), F("pk").asc()],
    "-name": [F("name").desc(), F("pk").desc()],
    "priority": [F("priority").asc(), F("name").asc(), F("pk").asc()],
    "-priority": [F("priority").desc(), F("name").asc(), F("pk").asc()],
    "stage_changed": [F("stage_changed_at").asc(nulls_first=True), F("pk").asc()],
    "-stage_changed": [F("stage_changed_at").desc(nulls_last=True), F("pk").desc()],
}
DEFAULT_SORT = "name"


def programmes_of(request):
    if request is None:
        return Programme.objects.none()
    return visible_programmes(request.user)


class BeneficiaryFilter(StyledFilterSet):
    """The outreach list's filters: the table, the board and the export share them."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=programmes_of,
        to_field_name="public_id",
        empty_label=_("All programmes"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=OutreachStage.choices, empty_label=_("All stages")
    )
    situation = django_filters.ChoiceFilter(
        label=_("Situation"), choices=Situation.choices, empty_label=_("All situations")
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Priority.choices, empty_label=_("All priorities")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=BeneficiaryKind.choices, empty_label=_("All kinds")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Source.choices, empty_label=_("All sources")
    )
    territory = django_filters.CharFilter(
        label=_("Territory or postal code"), method="filter_territory"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("name", _("Name (A to Z)")),
            ("-name", _("Name (Z to A)")),
            ("priority", _("Priority (high first)")),
            ("-priority", _("Priority (low first)")),
            ("-stage_changed", _("Stage change (latest first)")),
            ("stage_changed", _("Stage change (oldest first)")),
        ],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Beneficiary
        fields = ["q", "programme", "stage", "situation", "priority", "kind", "source"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(email__icontains=value)
            | Q(phone__icontains=value)
            | Q(postal_code__startswith=value)
            | Q(territory__icontains=value)
        )

    def filter_territory(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(territory__icontains=value) | Q(postal_code__startswith=value))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # An absent `sort` still gives a stable order (pagination needs one).
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT])
        return queryset

    @property
    def current_sort(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return DEFAULT_SORT
