import django_filters
from django import forms


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose widgets carry Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)
            if name == "q" and isinstance(field.widget, forms.TextInput):
                field.widget.input_type = "search"
