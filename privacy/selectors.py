"""What the platform holds about one beneficiary, read once for the JSON and the PDF export.

Right of access (RGPD art. 15): every personal datum about the person, whoever wrote it. So
the export also carries the team's contact log and outreach notes, and the confidential
notes about them: those are their personal data, and the person already reads their notes
(ConfidentialNote.objects.visible_to lets the beneficiary concerned in), so the export reveals
nothing new; the export is journaled once (a `download` entry). Confidential notes about
other people, co-development step notes and practice observations (about a séance, not one
person) are not included. One query per section, whatever the number of rows.
"""

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from beneficiaires.models import Beneficiary, Consent, ContactLog, Enrollment
from diagnostics.models import Need, NeedsDiagnostic
from evaluation.models import Answer, Response
from notifications.models import Notification
from outreach.models import ProjectCard, SupportRequest
from partners.models import Referral
from seances.enums import RecordStatus
from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    ClosingRecord,
    ClosingRecordComment,
    ConfidentialNote,
    LogbookEntry,
    Registration,
)


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    model: type[models.Model]
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()


RECORD_FIELDS = (
    "kind",
    "name",
    "contact_name",
    "email",
    "phone",
    "postal_code",
    "territory",
    "situation",
    "organization",
    "programme",
    "stage",
    "source",
    "source_detail",
    "notes",
    "created_at",
    "updated_at",
)
ACCOUNT_FIELDS = ("email", "first_name", "last_name", "phone", "date_joined", "last_login")

SECTIONS = (
    Section("consents", _("Consents"), Consent, ("purpose", "given_at", "withdrawn_at")),
    Section(
        "enrollments",
        _("Enrollments"),
        Enrollment,
        ("offer", "referent_mentor", "status", "started_on", "ended_on"),
    ),
    Section(
        "contact_log",
        _("Contact log"),
        ContactLog,
        ("contacted_at", "channel", "author", "outcome"),
    ),
    Section(
        "diagnostics",
        _("Needs diagnostics"),
        NeedsDiagnostic,
        ("held_on", "method", "conducted_by", "expectations", "notes", "status", "completed_at"),
    ),
    Section("needs", _("Needs"), Need, ("theme", "description", "source")),
    Section(
        "referrals",
        _("Referrals"),
        Referral,
        ("partner", "programme", "reason", "status", "sent_on", "answered_on", "answer_notes"),
    ),
    Section(
        "appointments",
        _("Appointments"),
        Appointment,
        (
            "offer",
            "mentor",
            "starts_at",
            "ends_at",
            "status",
            "channel",
            "location",
            "reason",
            "cancel_reason",
        ),
    ),
    Section(
        "registrations",
        _("Group session registrations"),
        Registration,
        ("session", "status", "registered_at", "cancelled_at"),
        ("session__offer",),
    ),
    Section("attendances", _("Séances attended"), Attendance, ("seance", "status", "role")),
    Section(
        "closing_records",
        _("Validated closing records"),
        ClosingRecord,
        ("seance", "version", "validated_at", "snapshot"),
    ),
    Section(
        "closing_record_comments",
        _("Comments on the closing records"),
        ClosingRecordComment,
        ("record", "author", "kind", "body", "created_at"),
        ("record__beneficiary", "record__seance"),
    ),
    Section(
        "confidential_notes",
        _("Confidential notes about you"),
        ConfidentialNote,
        ("seance", "author", "body", "created_at"),
    ),
    Section(
        "action_items",
        _("Action plan"),
        ActionItem,
        ("title", "owner", "owner_detail", "due_on", "status", "seance"),
    ),
    Section(
        "logbook_entries",
        _("Logbook"),
        LogbookEntry,
        (
            "title",
            "offer",
            "seance",
            "learnings",
            "feelings",
            "progress",
            "shared_with_mentor",
            "created_at",
        ),
    ),
    Section(
        "evaluation_responses",
        _("Evaluation responses"),
        Response,
        ("questionnaire", "phase", "entry_mode", "submitted_at"),
    ),
    Section(
        "evaluation_answers",
        _("Evaluation answers"),
        Answer,
        ("response", "question", "value_number", "value_text", "value_choices"),
        ("response__questionnaire", "response__beneficiary"),
    ),
    Section(
        "support_requests",
        _("Support requests"),
        SupportRequest,
        (
            "created_at",
            "programme",
            "name",
            "contact_name",
            "email",
            "phone",
            "postal_code",
            "territory",
            "situation",
            "needs",
            "preferred_channel",
            "consent_contact",
        ),
    ),
    Section(
        "project_cards",
        _("Project cards"),
        ProjectCard,
        (
            "title",
            "programme",
            "summary",
            "territory",
            "needs_partners",
            "needs_skills",
            "needs_resources",
            "is_public",
        ),
    ),
    Section(
        "notifications",
        _("Messages sent to you"),
        Notification,
        (
            "created_at",
            "kind",
            "channel",
            "to_address",
            "subject",
            "body_text",
            "status",
            "sent_at",
        ),
    ),
)


def _rows(section: Section, beneficiary: Beneficiary) -> models.QuerySet:
    manager = section.model._default_manager
    if section.model is Notification:
        if beneficiary.user_id is None:
            return manager.none()
        queryset = manager.filter(recipient_id=beneficiary.user_id)
    elif section.model is Need:
        queryset = manager.filter(diagnostic__beneficiary=beneficiary)
    elif section.model is Answer:
        queryset = manager.filter(response__beneficiary=beneficiary)
    elif section.model is ClosingRecordComment:
        queryset = manager.filter(
            record__beneficiary=beneficiary, record__status=RecordStatus.VALIDATED
        )
    else:
        queryset = manager.filter(beneficiary=beneficiary)
    if section.model is ClosingRecord:
        queryset = queryset.filter(status=RecordStatus.VALIDATED)
    foreign_keys = [
        name for name in section.fields if section.model._meta.get_field(name).is_relation
    ]
    return queryset.select_related(*foreign_keys, *section.related).order_by("pk")


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.is_relation:
        related = getattr(obj, name)
        return str(related) if related is not None else None
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")()) if getattr(obj, name) else ""
    value = getattr(obj, name)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _labels(model: type[models.Model], names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(model._meta.get_field(name).verbose_name) for name in names}


def personal_data(beneficiary: Beneficiary) -> dict[str, Any]:
    """Every personal datum held about `beneficiary`, as plain values keyed by field name."""
    record = Beneficiary.objects.select_related("organization", "programme", "user").get(
        pk=beneficiary.pk
    )
    user = record.user
    return {
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "record": {name: _value(record, name) for name in RECORD_FIELDS},
        "account": {name: _value(user, name) for name in ACCOUNT_FIELDS} if user else None,
        **{
            section.key: [
                {name: _value(row, name) for name in section.fields}
                for row in _rows(section, record)
            ]
            for section in SECTIONS
        },
    }


ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _readable_moment(value: str) -> str:
    """An ISO date or date-time of the JSON export, as a person reads it (local time)."""
    try:
        if ISO_DATE.match(value):
            return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def readable(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and (ISO_DATETIME.match(value) or ISO_DATE.match(value)):
        return _readable_moment(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def personal_data_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export laid out for reading: titles, labels and values as text, in pairs."""

    sections = [
        {
            "title": _("Your record"),
            "labels": _labels(Beneficiary, RECORD_FIELDS),
            "rows": [data["record"]],
        },
        {
            "title": _("Your account"),
            "labels": _labels(User, ACCOUNT_FIELDS),
            "rows": [data["account"]] if data["account"] else [],
        },
    ]
    sections += [
        {
            "title": section.title,
            "labels": _labels(section.model, section.fields),
            "rows": data[section.key],
        }
        for section in SECTIONS
    ]
    return [
        {
            "title": section["title"],
            "rows": [
                [(label, readable(row.get(name))) for name, label in section["labels"].items()]
                for row in section["rows"]
            ],
        }
        for section in sections
    ]
