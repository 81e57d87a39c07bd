"""The programme's evaluation dashboard (with the mentors' load and outcomes) and one
beneficiary's follow-up page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from beneficiaires.models import Beneficiary, Enrollment
from evaluation import documents, exports
from evaluation.permissions import can_view_programme_evaluation
from evaluation.statistics import (
    MIN_GROUP,
    Filters,
    bar_rows,
    beneficiary_follow_up,
    mentor_outcomes,
    programme_indicators,
    progress_rows,
)
from programmes.models import Offer, Programme
from seances.models import Attendance, Seance


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, in the query string; each one is optional."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    offer = forms.ModelChoiceField(
        label=_("Offer"),
        queryset=Offer.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("All offers"),
    )
    mentor = MentorChoiceField(
        label=_("Mentor"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("All mentors"),
    )
    territory = forms.ChoiceField(label=_("Territory"), required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.filter(programme=programme).order_by(
            "title", "pk"
        )
        # A union of ids rather than an OR across two joins: each side uses its index.
        mentor_ids = (
            Offer.mentors.through.objects.filter(offer__programme=programme)
            .values("user_id")
            .union(
                Enrollment.objects.filter(offer__programme=programme, referent_mentor__isnull=False)
                .order_by()
                .values("referent_mentor_id")
            )
        )
        self.fields["mentor"].queryset = User.objects.filter(pk__in=mentor_ids).order_by(
            "last_name", "first_name", "email"
        )
        territories = (
            Beneficiary.objects.filter(enrollments__offer__programme=programme)
            .exclude(territory="")
            .values_list("territory", flat=True)
            .distinct()
            .order_by("territory")
        )
        self.fields["territory"].choices = [("", _("All territories"))] + [
            (territory, territory) for territory in territories
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must come after its start."))
        return cleaned

    def filters(self) -> Filters:
        """The filters to apply: none while the form is not valid (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            offer=data["offer"],
            mentor=data["mentor"],
            territory=data["territory"],
        )


def _evaluated_programme(request: HttpRequest, public_id) -> Programme:
    """The programme whose evaluation the person asks for: 404 if they may not see it, 403 if
    they may see it but not its evaluation."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("organization"),
        public_id=public_id,
    )
    if not can_view_programme_evaluation(request.user, programme):
        raise PermissionDenied
    return programme


@login_required
def programme_evaluation(request: HttpRequest, public_id) -> HttpResponse:
    """The programme's evaluation dashboard, for the coordinators who run it."""
    programme = _evaluated_programme(request, public_id)
    form = DashboardFilterForm(request.GET or None, programme=programme)
    filters = form.filters()
    indicators = programme_indicators(programme, filters)
    satisfaction = indicators["satisfaction"]
    context = {
        "programme": programme,
        "form": form,
        "is_filtered": filters != Filters(),
        "min_group": MIN_GROUP,
        "indicators": indicators,
        "stage_rows": bar_rows(indicators["beneficiaries"]["by_stage"], "count"),
        "situation_rows": bar_rows(indicators["beneficiaries"]["by_situation"], "count"),
        "seance_rows": bar_rows(indicators["seances"]["by_offer_kind"], "hours"),
        "attendance_rows": bar_rows(indicators["attendance"]["rows"], "rate", scale=100),
        "distribution_rows": bar_rows(satisfaction["distribution"], "count"),
        "nps": satisfaction["nps"],
        "progress_rows": progress_rows(indicators["progress"]),
        "mentors": mentor_outcomes(programme, filters),
        # The exports and the report keep the filters that are valid.
        "querystring": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
    }
    response = render(request, "evaluation/dashboard/programme.html", context)
    add_never_cache_headers(response)
    return response


def _filters(request: HttpRequest, programme: Programme) -> Filters:
    return DashboardFilterForm(request.GET or None, programme=programme).filters()


@login_required
def programme_export_csv(request: HttpRequest, public_id) -> HttpResponse:
    """One row per beneficiary per séance, as CSV (the dashboard's filters apply)."""
    programme = _evaluated_programme(request, public_id)
    response = exports.csv_response(programme, _filters(request, programme))
    add_never_cache_headers(response)
    return response


@login_required
def programme_export_xlsx(request: HttpRequest, public_id) -> HttpResponse:
    """The same rows as the CSV export, as an Excel workbook."""
    programme = _evaluated_programme(request, public_id)
    response = exports.xlsx_response(programme, _filters(request, programme))
    add_never_cache_headers(response)
    return response


@login_required
def programme_report(request: HttpRequest, public_id) -> HttpResponse:
    """The evaluation report as PDF: the dashboard's figures and charts, filters applied."""
    programme = _evaluated_programme(request, public_id)
    pdf = documents.render_programme_report_pdf(programme, _filters(request, programme))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = documents.programme_report_filename(programme)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def followable_beneficiaries(user) -> QuerySet[Beneficiary]:
    """Whose follow-up `user` may read: the beneficiaries they may see (coordinators of the
    structure or programme, referent mentors, the person themself) and those who attended a
    séance they led."""
    if not user.is_authenticated:
        return Beneficiary.objects.none()
    led = Attendance.objects.filter(seance__in=Seance.objects.led_by(user)).values("beneficiary_id")
    return Beneficiary.objects.filter(
        Q(pk__in=Beneficiary.objects.visible_to(user).values("pk")) | Q(pk__in=led)
    )


@login_required
def beneficiary_follow_up_page(request: HttpRequest, public_id) -> HttpResponse:
    """One beneficiary's progress on each need over time, tasks and attendance."""
    beneficiary = get_object_or_404(followable_beneficiaries(request.user), public_id=public_id)
    context = beneficiary_follow_up(beneficiary)
    context["is_self"] = beneficiary.user_id == request.user.pk
    context["line_chart"] = line_chart(context["progress"], context["moments"])
    context["task_rows"] = _count_bars(context["tasks"]["rows"])
    context["attendance_rows"] = _count_bars(context["attendance"]["rows"])
    response = render(request, "evaluation/dashboard/follow_up.html", context)
    add_never_cache_headers(response)
    return response


def _count_bars(rows: list[dict]) -> list[dict]:
    """Rows of plain counts for templates/core/partials/bar_chart.html."""
    largest = max((row["count"] for row in rows), default=0) or 1
    return [{**row, "percent": round(100 * row["count"] / largest)} for row in rows]


# Distinct enough for neighbouring lines, each with a 3:1 contrast on white (WCAG 1.4.11).
LINE_COLOURS = ["#1f4e79", "#b35806", "#2d7d46", "#8e3b8e", "#a61c3c", "#4d4d4d"]
CHART_WIDTH, CHART_HEIGHT = 640, 220
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 44, 44, 12, 28


def line_chart(progress: list[dict], moments: list[dict]) -> dict:
    """The geometry of the follow-up's line chart (one line per need, 1 to 5 over the
    assessments); the table under it carries the same data for screen readers."""
    inner_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    steps = max(len(moments) - 1, 1)

    def x(index: int) -> float:
        if len(moments) == 1:
            return CHART_LEFT + inner_width / 2
        return round(CHART_LEFT + index * inner_width / steps, 1)

    def y(value: float) -> float:
        return round(CHART_TOP + (5 - value) * inner_height / 4, 1)

    series = []
    for number, row in enumerate(progress):
        dots = [
            {"x": x(index), "y": y(point["value"]), "value": point["value"]}
            for index, point in enumerate(row["points"])
            if point["value"]
        ]
        series.append(
            {
                "theme": row["theme"],
                "colour": LINE_COLOURS[number % len(LINE_COLOURS)],
                "points": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
                "dots": dots,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "bottom": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - 8,
        "y_ticks": [{"value": value, "y": y(value)} for value in range(1, 6)],
        "x_ticks": [
            {"x": x(index), "label": moment["date"]} for index, moment in enumerate(moments)
        ],
        "series": series,
    }
