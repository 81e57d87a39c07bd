"""Filters of the public catalogue (the page and the API share them): search, territory,
public and theme, all in the query string so that a filtered list is a shareable link."""

import django_filters
from django.core.validators import validate_slug
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.filters import StyledFilterSet
from outreach.selectors_catalogue import territories, theme_names
from programmes.enums import Audience
from programmes.models import Offer, Programme
from seances.models import GroupSession


class CatalogueFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    territory = django_filters.ChoiceFilter(
        label=_("Territory"), choices=[], empty_label=_("All territories")
    )
    public = django_filters.ChoiceFilter(
        label=_("Public"),
        choices=Audience.choices,
        method="filter_public",
        empty_label=_("All publics"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=[], method="filter_theme", empty_label=_("All themes")
    )

    class Meta:
        model = Programme
        fields = ["q", "territory", "public", "theme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from what is published, read once per request (two small queries).
        self.form.fields["territory"].choices = [
            ("", _("All territories")),
            *[(t, t) for t in territories()],
        ]
        self.form.fields["theme"].choices = [
            ("", _("All themes")),
            *[(name, name) for name in theme_names()],
        ]

    def search(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(objectives__icontains=value)
        )

    def filter_public(self, queryset, name, value: str):
        # The JSON list as text: '"youth"' matches the value exactly (quotes included), on
        # SQLite as on PostgreSQL (JSON `contains` does not exist on SQLite).
        return queryset.filter(audiences__icontains=f'"{value}"')

    def filter_theme(self, queryset, name, value: str):
        # Themes belong to each structure: filter by name across structures.
        addressed = Offer.objects.filter(
            programme=OuterRef("pk"), is_active=True, themes__name=value
        )
        return queryset.filter(Exists(addressed))


class OpenEventFilter(django_filters.FilterSet):
    """The API's filter of open events: ?programme=<slug>."""

    programme = django_filters.CharFilter(
        field_name="offer__programme__slug",
        label=_("Programme"),
        validators=[validate_slug],
        help_text=_("Only this programme (the end of its public page's address)."),
    )

    class Meta:
        model = GroupSession
        fields = ["programme"]
