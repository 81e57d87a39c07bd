"""A programme's evaluation data as CSV or XLSX: one row per beneficiary per séance.

For the programme's coordinators (the rows name people: no small-group rule here, unlike the
statistics). Confidential notes and logbooks are not exported, nor free-text answers: people
wrote them to be read without their name (the dashboard shows them so), and a file with names
travels further than the site. Three queries whatever the
size: the attendances, the satisfaction questions asked, their answers."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import CharField, F, Min, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from beneficiaires.exports import safe_cell
from evaluation.enums import Purpose, QuestionKind
from evaluation.models import Answer
from evaluation.statistics import Filters, seances_in_scope
from programmes.models import Programme
from seances.models import Attendance

HEADERS = [
    "programme",
    "offre",
    "date_seance",
    "type_seance",
    "duree_minutes",
    "presence",
    "accompagnant",
    "beneficiaire",
    "situation",
    "territoire",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _key():
    return Coalesce(
        NullIf(F("question__code"), Value("")), Cast("question_id", output_field=CharField())
    )


def _display(kind: str, number, text: str, choices: list) -> str:
    if kind == QuestionKind.YES_NO and number is not None:
        return _("Yes") if number else _("No")
    if number is not None:
        return str(number)
    if choices:
        return ", ".join(str(choice) for choice in choices)
    return text


def export_table(programme: Programme, filters: Filters | None = None) -> tuple[list, Iterator]:
    """The header and the rows (lists of cells) of the export."""
    filters = filters or Filters()
    seances = seances_in_scope(programme, filters)
    attendances = (
        Attendance.objects.filter(seance__in=seances)
        .select_related("seance__offer", "seance__mentor", "beneficiary")
        .order_by("seance__starts_at", "seance_id", "beneficiary__name", "pk")
    )
    if filters.territory:
        attendances = attendances.filter(beneficiary__territory=filters.territory)
    answers = (
        Answer.objects.filter(
            response__programme=programme,
            response__questionnaire__purpose=Purpose.SATISFACTION,
            response__seance__in=seances,
        )
        .exclude(question__kind=QuestionKind.TEXT)
        .annotate(key=_key())
    )
    questions = list(
        answers.values("key")
        .annotate(label=Min("question__label"), position=Min("question__position"))
        .order_by("position", "key")
    )
    given: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for seance_id, beneficiary_id, key, kind, number, text, choices in answers.values_list(
        "response__seance_id",
        "response__beneficiary_id",
        "key",
        "question__kind",
        "value_number",
        "value_text",
        "value_choices",
    ):
        given[(seance_id, beneficiary_id)][key] = _display(kind, number, text, choices)
    header = HEADERS + [question["label"] for question in questions]

    def rows() -> Iterator[list]:
        for attendance in attendances.iterator(chunk_size=500):
            seance, person = attendance.seance, attendance.beneficiary
            cells = given.get((seance.pk, person.pk), {})
            yield [
                safe_cell(programme.title),
                safe_cell(seance.offer.title),
                timezone.localtime(seance.starts_at).strftime("%Y-%m-%d %H:%M"),
                str(seance.get_kind_display()),
                seance.duration_minutes,
                str(attendance.get_status_display()),
                safe_cell(str(seance.mentor)),
                safe_cell(person.name),
                str(person.get_situation_display()) if person.situation else "",
                safe_cell(person.territory),
                *(safe_cell(cells.get(question["key"], "")) for question in questions),
            ]

    return header, rows()


def export_filename(programme: Programme, extension: str) -> str:
    return f"evaluation-{slugify(programme.title)}-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    """A file-like object whose write() hands back the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_response(programme: Programme, filters: Filters | None = None) -> StreamingHttpResponse:
    """UTF-8 with BOM and ";", as Excel France opens it (like the outreach list's export)."""
    header, rows = export_table(programme, filters)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines() -> Iterator[bytes]:
        yield ("\ufeff" + writer.writerow([safe_cell(cell) for cell in header])).encode()
        for row in rows:
            yield writer.writerow(row).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(programme, "csv")}"'
    return response


def xlsx_bytes(programme: Programme, filters: Filters | None = None) -> bytes:
    from openpyxl import Workbook

    header, rows = export_table(programme, filters)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Evaluation")))
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(programme: Programme, filters: Filters | None = None) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(programme, filters), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(programme, "xlsx")}"'
    return response
