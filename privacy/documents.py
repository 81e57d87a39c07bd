"""The readable copy of a person's data (right of access), printed by WeasyPrint."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from privacy.selectors import personal_data_sections, readable

EXPORT_TEMPLATE = "privacy/pdf/personal_data.html"


def render_personal_data_pdf(data: dict[str, Any]) -> bytes:
    """The PDF of `privacy.selectors.personal_data`, in the person's language."""
    # Imported here: loading WeasyPrint (Pango, fonts) costs every process that never prints.
    import weasyprint

    html = render_to_string(
        EXPORT_TEMPLATE,
        {
            "record": data["record"],
            "exported_at": readable(data["exported_at"]),
            "sections": personal_data_sections(data),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
