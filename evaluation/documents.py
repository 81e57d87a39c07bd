"""The programme's evaluation report as PDF (WeasyPrint): the dashboard's indicators, with
the same small-group rule, and SVG charts drawn in the template.

Static resources never go through HTTP: the logo is embedded as a data URI (seances.documents).
Unlike a closing report it is not frozen: it prints the figures of the day it is asked for,
and says so."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from evaluation.statistics import (
    Filters,
    bar_rows,
    mentor_outcomes,
    programme_indicators,
    progress_rows,
)
from programmes.models import Programme
from seances.documents import logo_data_uri

REPORT_LANGUAGE = "fr"
REPORT_TEMPLATE = "evaluation/report/programme.html"


def programme_report_html(programme: Programme, filters: Filters | None = None) -> str:
    filters = filters or Filters()
    indicators = programme_indicators(programme, filters)
    satisfaction = indicators["satisfaction"]
    with translation.override(REPORT_LANGUAGE):
        return render_to_string(
            REPORT_TEMPLATE,
            {
                "programme": programme,
                "filters": filters,
                "printed_at": timezone.localtime(),
                "logo": logo_data_uri(programme.logo.name if programme.logo else None),
                "indicators": indicators,
                "stage_rows": bar_rows(indicators["beneficiaries"]["by_stage"], "count"),
                "situation_rows": bar_rows(indicators["beneficiaries"]["by_situation"], "count"),
                "seance_rows": bar_rows(indicators["seances"]["by_offer_kind"], "hours"),
                "attendance_rows": bar_rows(indicators["attendance"]["rows"], "rate", scale=100),
                "distribution_rows": bar_rows(satisfaction["distribution"], "count"),
                "nps": satisfaction["nps"],
                "progress_rows": progress_rows(indicators["progress"]),
                "mentors": mentor_outcomes(programme, filters),
            },
        )


def render_programme_report_pdf(programme: Programme, filters: Filters | None = None) -> bytes:
    """The programme's evaluation report, as PDF bytes (A4, French)."""
    # Imported here: loading WeasyPrint (Pango, fonts) costs every process that never prints.
    import weasyprint

    html = programme_report_html(programme, filters)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def programme_report_filename(programme: Programme) -> str:
    name = slugify(programme.title)[:50] or "programme"
    return f"rapport-evaluation-{name}-{timezone.localdate():%Y-%m-%d}.pdf"
