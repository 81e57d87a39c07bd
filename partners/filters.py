import django_filters
from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.enums import PartnerKind
from accounts.models import Organization
from core.filters import StyledFilterSet
from partners.enums import UNANSWERED_AFTER_DAYS, ReferralStatus
from partners.models import Referral
from programmes.models import Theme


class PartnerFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    partner_kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PartnerKind.choices, empty_label=_("All kinds")
    )
    territory = django_filters.ChoiceFilter(
        label=_("Territory"), choices=[], empty_label=_("All territories")
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=[], empty_label=_("All themes"), method="filter_theme"
    )

    class Meta:
        model = Organization
        fields = ["q", "partner_kind", "territory", "theme"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # StyledFilterSet has built the form already: the choices go on its fields.
        territories = (
            Organization.objects.partners()
            .exclude(territory="")
            .order_by("territory")
            .values_list("territory", flat=True)
            .distinct()
        )
        self.form.fields["territory"].choices = [(t, t) for t in territories]
        # Themes are per support structure; a partner tagged "Financement" by any structure
        # matches, so the filter works on the names of the person's own themes.
        names = (
            Theme.objects.visible_to(user)
            .filter(is_active=True)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        self.form.fields["theme"].choices = [(n, n) for n in names]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(territory__icontains=value)
        )

    def filter_theme(self, queryset, name, value):
        tagged = Theme.objects.filter(name__iexact=value).values("partners")
        return queryset.filter(pk__in=tagged)


class ReferralFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReferralStatus.choices, empty_label=_("All statuses")
    )
    unanswered = django_filters.BooleanFilter(
        label=format_lazy(_("Unanswered after {days} days"), days=UNANSWERED_AFTER_DAYS),
        method="filter_unanswered",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=Organization.objects.partners().order_by("name"),
        to_field_name="public_id",
        empty_label=_("All partners"),
    )
    q = django_filters.CharFilter(label=_("Beneficiary"), method="search")

    class Meta:
        model = Referral
        fields = ["q", "status", "partner", "unanswered"]

    def filter_unanswered(self, queryset, name, value):
        return queryset.unanswered() if value else queryset

    def search(self, queryset, name, value):
        return queryset.filter(beneficiary__name__icontains=value)
