"""Writing to the journal. Callers pass the object; the journal keeps its label and id."""

from django.db import models

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
