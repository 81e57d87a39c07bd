"""Writing to the journal, and its retention. Callers pass the object; the journal keeps its
label and id."""

import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    summary: str = "",
    organization_id: int | None = None,
) -> AuditEntry:
    """One journal entry for `actor` doing `action` on `obj`."""
    object_id = getattr(obj, "public_id", None) or obj.pk
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(object_id),
        summary=summary[:300],
        organization_id=organization_id,
    )


def audit_read(*, actor, obj: models.Model, summary: str = "", organization_id=None):
    return audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=obj,
        summary=summary,
        organization_id=organization_id,
    )


def audit_reads(
    *, actor, reads: Iterable[tuple[models.Model, int | None]], summary
) -> list[AuditEntry]:
    """READ entries for several records shown at once (an API list), in one INSERT.

    `reads` gives each record with its organisation; `summary(record)` the text of its entry."""
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=AuditAction.READ,
            object_type=obj._meta.label_lower,
            object_id=str(getattr(obj, "public_id", None) or obj.pk),
            summary=summary(obj)[:300],
            organization_id=organization_id,
        )
        for obj, organization_id in reads
    ]
    return AuditEntry.objects.bulk_create(entries) if entries else []


def _field_label(obj: models.Model, name: str) -> str:
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _change_summary(obj: models.Model, fields: Iterable[str]) -> str:
    names = ", ".join(sorted(_field_label(obj, name) for name in fields))
    if not names:
        return _("%(record)s changed") % {"record": obj._meta.verbose_name}
    return _("%(record)s changed: %(fields)s") % {
        "record": obj._meta.verbose_name,
        "fields": names,
    }


def audit_change(
    *, actor, obj: models.Model, fields: Iterable[str], organization_id: int | None = None
) -> AuditEntry:
    """An UPDATE entry naming the fields changed, never their values (the journal holds no
    personal data)."""
    return audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        summary=_change_summary(obj, fields),
        organization_id=organization_id,
    )


def audit_changes(
    *, actor, objs: Iterable[models.Model], fields: Iterable[str], organization_id
) -> list[AuditEntry]:
    """`audit_change` for several records changed at once (a bulk action), in one INSERT;
    `organization_id(obj)` gives each record's organisation."""
    fields = list(fields)
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=AuditAction.UPDATE,
            object_type=obj._meta.label_lower,
            object_id=str(getattr(obj, "public_id", None) or obj.pk),
            summary=_change_summary(obj, fields)[:300],
            organization_id=organization_id(obj),
        )
        for obj in objs
    ]
    return AuditEntry.objects.bulk_create(entries) if entries else []


def audit_export(
    *,
    actor,
    model: type[models.Model],
    rows_by_organization: Mapping[int | None, int],
    summary: str,
) -> list[AuditEntry]:
    """The download of a list of `model` records: one entry per organisation holding some of
    the rows (so each organisation's journal shows it), with its row count; one entry with no
    organisation when the list is empty. `summary` is formatted with `{rows}`."""
    counts = dict(rows_by_organization) or {None: 0}
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=AuditAction.DOWNLOAD,
            object_type=model._meta.label_lower,
            # A list has no single record: the identifier says what was downloaded.
            object_id="export",
            summary=summary.format(rows=rows)[:300],
            organization_id=organization_id,
        )
        for organization_id, rows in sorted(counts.items(), key=lambda item: item[0] or 0)
    ]
    return AuditEntry.objects.bulk_create(entries)


def retention_limit(now: datetime.datetime | None = None) -> datetime.datetime:
    """Entries written before this moment are past the retention period."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the entries older than AUDIT_RETENTION_DAYS; how many were deleted."""
    with transaction.atomic():
        deleted, _by_model = AuditEntry.objects.filter(at__lt=retention_limit(now)).delete()
    return deleted
