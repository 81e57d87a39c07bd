import django_filters
from django import forms


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose widgets carry Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
