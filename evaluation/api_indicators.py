"""API of a programme's evaluation indicators: GET /api/v1/programmes/<id>/indicators/.

The same figures as the dashboard (evaluation.statistics), with the same small-group rule: a
figure about fewer than 5 people is `{"value": null, "people": null, "suppressed": true}`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from evaluation.permissions import can_view_programme_evaluation
from evaluation.statistics import mentor_outcomes, programme_indicators
from evaluation.views.dashboard import DashboardFilterForm
from programmes.models import Programme

FILTER_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="From this date (YYYY-MM-DD)."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Until this date (YYYY-MM-DD)."),
    OpenApiParameter("offer", OpenApiTypes.UUID, description="Only this offer (its id)."),
    OpenApiParameter("mentor", OpenApiTypes.UUID, description="Only this mentor (their id)."),
    OpenApiParameter("territory", OpenApiTypes.STR, description="Only this territory."),
]


def _mentor_rows(rows: list[dict]) -> list[dict]:
    return [
        {
            "mentor": row["mentor"].public_id,
            "name": row["name"],
            "followed": row["followed"],
            "seances": row["seances"],
            "hours": row["hours"],
            "gain": row["gain"],
        }
        for row in rows
    ]


class ProgrammeIndicatorsView(APIView):
    """A programme's evaluation indicators, for its coordinators."""

    @extend_schema(
        operation_id="programme_indicators",
        tags=["programmes"],
        parameters=FILTER_PARAMETERS,
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "The indicators: beneficiaries by stage and situation, séances and hours by "
                    "offer kind, attendance, satisfaction and NPS, progress before and after per "
                    "need theme, action-plan completion, strengths and areas for improvement, "
                    "mentors' load and outcomes. Each figure is an object {value, people, "
                    "suppressed}; `suppressed` is true (and the value null) when fewer than "
                    "`min_group` people are concerned."
                ),
            ),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, id) -> Response:
        programme = get_object_or_404(Programme.objects.visible_to(request.user), public_id=id)
        if not can_view_programme_evaluation(request.user, programme):
            raise PermissionDenied
        form = DashboardFilterForm(request.query_params or None, programme=programme)
        if form.is_bound and not form.is_valid():
            return Response(form.errors, status=400)
        filters = form.filters()
        return Response(
            {
                "programme": programme.public_id,
                **programme_indicators(programme, filters),
                "mentors": _mentor_rows(mentor_outcomes(programme, filters)),
            }
        )
