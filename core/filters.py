import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


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


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0), nothing else: an unreadable value is an error, not "no filter"."""

    widget = forms.TextInput
    TRUE, FALSE = {"true", "True", "1"}, {"false", "False", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in self.TRUE or value is True:
            return True
        if value in self.FALSE or value is False:
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    """The API's boolean filters: `?is_active=2` answers 400 instead of listing everything."""

    field_class = StrictBooleanField
