"""The logbook (carnet de bord): a participant's entries of learnings, feelings and progress.

Private by default: an entry is the author's until they share it with their mentor (the
referent, or the mentor of the séance it is about: `LogbookEntry.objects.visible_to`).
Coordinators never read entries. Only the author writes, shares, unshares or deletes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaires.models import Beneficiary, Enrollment
from programmes.models import Offer
from seances.enums import AttendanceStatus, SeanceKind
from seances.models import Attendance, LogbookEntry, Seance
from seances.services.codev import LAST_STEP

TEXT_FIELDS = ("learnings", "feelings", "progress")
TEXT_MAX_LENGTH = 20000


def author_profile(user) -> Beneficiary | None:
    """The beneficiary record of a logged-in participant (None for staff)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "beneficiary_profile", None)


def attended_seances(profile: Beneficiary):
    """The séances the person was present at: the ones an entry may be about."""
    return Seance.objects.filter(
        attendances__beneficiary=profile, attendances__status=AttendanceStatus.PRESENT
    )


def entry_offers(profile: Beneficiary):
    """The offers an entry may be about: those the person is enrolled in or met in a séance."""
    return Offer.objects.filter(
        Q(pk__in=Enrollment.objects.filter(beneficiary=profile).values("offer_id"))
        | Q(pk__in=attended_seances(profile).values("offer_id"))
    )


def pending_invitations(user):
    """Co-development séances the person attended that reached step 6 (where everyone is
    invited to write in their logbook), without an entry of theirs about them yet."""
    profile = author_profile(user)
    if profile is None:
        return Seance.objects.none()
    return (
        attended_seances(profile)
        .filter(kind=SeanceKind.CODEVELOPMENT, codev_step__gte=LAST_STEP)
        # Entries about no séance are left out of the subquery: a NULL in NOT IN matches
        # nothing, and would hide every invitation.
        .exclude(
            pk__in=LogbookEntry.objects.filter(author=user, seance__isnull=False).values(
                "seance_id"
            )
        )
        .select_related("offer")
        .order_by("-starts_at", "-pk")
    )


def _clean_texts(title: str, texts: dict[str, str]) -> tuple[str, dict[str, str]]:
    title = (title or "").strip()
    texts = {name: (value or "").strip()[:TEXT_MAX_LENGTH] for name, value in texts.items()}
    errors = {}
    if not title:
        errors["title"] = _("Give your entry a title.")
    if not any(texts.values()):
        errors["__all__"] = _(
            "Write at least one of your learnings, your feelings or your progress."
        )
    if errors:
        raise ValidationError(errors)
    return title[:200], texts


def _save(entry: LogbookEntry, **kwargs) -> None:
    """Save, turning the database's "not empty" check into the form's message."""
    try:
        with transaction.atomic():
            entry.save(**kwargs)
    except IntegrityError as error:
        raise ValidationError(
            _("Write at least one of your learnings, your feelings or your progress.")
        ) from error


def _require_author(entry: LogbookEntry, acting_user) -> None:
    if not acting_user.is_authenticated or entry.author_id != acting_user.pk:
        raise PermissionDenied


def _apply_share(entry: LogbookEntry, shared: bool) -> list[str]:
    """Set the sharing flag; the date is the first sharing since the last unsharing."""
    if shared == entry.shared_with_mentor:
        return []
    entry.shared_with_mentor = shared
    entry.shared_at = timezone.now() if shared else None
    return ["shared_with_mentor", "shared_at"]


def logbook_entry_create(
    *,
    author,
    title: str,
    learnings: str = "",
    feelings: str = "",
    progress: str = "",
    seance: Seance | None = None,
    offer: Offer | None = None,
    shared_with_mentor: bool = False,
) -> LogbookEntry:
    """A new entry in the author's own logbook, private unless they share it."""
    profile = author_profile(author)
    if profile is None:
        raise PermissionDenied
    title, texts = _clean_texts(
        title, {"learnings": learnings, "feelings": feelings, "progress": progress}
    )
    if seance is not None:
        attended = Attendance.objects.filter(
            seance=seance, beneficiary=profile, status=AttendanceStatus.PRESENT
        ).exists()
        if not attended:
            raise ValidationError({"seance": _("Choose a séance you took part in.")})
        offer = offer or seance.offer
    if offer is not None and not entry_offers(profile).filter(pk=offer.pk).exists():
        raise ValidationError({"offer": _("Choose an offer you take part in.")})
    entry = LogbookEntry(
        author=author,
        beneficiary=profile,
        seance=seance,
        offer=offer,
        title=title,
        **texts,
    )
    _apply_share(entry, shared_with_mentor)
    _save(entry)
    return entry


def logbook_entry_update(
    *,
    entry: LogbookEntry,
    acting_user,
    title: str,
    learnings: str = "",
    feelings: str = "",
    progress: str = "",
    shared_with_mentor: bool | None = None,
) -> LogbookEntry:
    """The author rewrites their entry (and, when given, shares or unshares it)."""
    _require_author(entry, acting_user)
    title, texts = _clean_texts(
        title, {"learnings": learnings, "feelings": feelings, "progress": progress}
    )
    entry.title = title
    for name, value in texts.items():
        setattr(entry, name, value)
    fields = ["title", *TEXT_FIELDS, "updated_at"]
    if shared_with_mentor is not None:
        fields += _apply_share(entry, shared_with_mentor)
    _save(entry, update_fields=fields)
    return entry


def logbook_entry_share(*, entry: LogbookEntry, shared: bool, acting_user) -> LogbookEntry:
    """The author shares the entry with their mentor, or takes it back."""
    _require_author(entry, acting_user)
    fields = _apply_share(entry, shared)
    if fields:
        entry.save(update_fields=[*fields, "updated_at"])
    return entry


def logbook_entry_delete(*, entry: LogbookEntry, acting_user) -> None:
    """The author deletes their entry for good."""
    _require_author(entry, acting_user)
    entry.delete()
