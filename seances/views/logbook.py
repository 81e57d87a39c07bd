"""The logbook (carnet de bord): a participant's own entries, the invitations that step 6 of
a co-development séance leaves, writing, editing, sharing and deleting an entry; for mentors,
the entries shared with them.

Every read starts from `LogbookEntry.objects.visible_to(user)`: a private entry is a 404 for
anyone but its author (mentor, coordinator, superuser alike), even with its address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.rules import can
from core.http import add_service_errors, paginate, safe_next_url
from seances.forms.logbook import LogbookEntryForm
from seances.models import LogbookEntry
from seances.services import logbook as services
from seances.services.logbook import (
    attended_seances,
    author_profile,
    entry_offers,
    pending_invitations,
)

PAGE_SIZE = 20


def _entries(user):
    return LogbookEntry.objects.visible_to(user).select_related(
        "seance__offer", "offer", "beneficiary", "author"
    )


def _visible_entry(request: HttpRequest, public_id) -> LogbookEntry:
    return get_object_or_404(_entries(request.user), public_id=public_id)


def _own_entry(request: HttpRequest, public_id) -> LogbookEntry:
    """A shared entry is visible to the mentor, but only its author changes it."""
    entry = _visible_entry(request, public_id)
    if entry.author_id != request.user.pk:
        raise PermissionDenied
    return entry


def _require_participant(request: HttpRequest):
    profile = author_profile(request.user)
    if profile is None:
        raise PermissionDenied
    return profile


@login_required
def logbook(request: HttpRequest) -> HttpResponse:
    """The person's own logbook, newest first, and the séances waiting for an entry."""
    _require_participant(request)
    entries = _entries(request.user).filter(author=request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "seances/logbook_list.html",
        {
            **paginate(request, entries, PAGE_SIZE),
            "invitations": list(pending_invitations(request.user)),
        },
    )


@login_required
def logbook_entry_create(request: HttpRequest) -> HttpResponse:
    """A new entry; `?seance=<public_id>` (the step-6 invitation) fills in the séance."""
    profile = _require_participant(request)
    seances = attended_seances(profile)
    offers = entry_offers(profile)
    initial = {}
    seance = None
    if request.method == "GET" and request.GET.get("seance"):
        # A séance the person did not attend (or a wrong address) is simply not filled in.
        try:
            seance = seances.select_related("offer").filter(public_id=request.GET["seance"]).first()
        except ValidationError:
            seance = None
        if seance is not None:
            initial = {
                "seance": seance.public_id,
                "offer": seance.offer.public_id,
                "title": _("Séance of %(date)s") % {"date": _local_date(seance.starts_at)},
            }
    form = LogbookEntryForm(request.POST or None, initial=initial, seances=seances, offers=offers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.logbook_entry_create(
                author=request.user,
                title=data["title"],
                learnings=data["learnings"],
                feelings=data["feelings"],
                progress=data["progress"],
                seance=data["seance"],
                offer=data["offer"],
                shared_with_mentor=data["shared_with_mentor"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your entry is saved in your logbook."))
            return redirect("seances:logbook")
    return render(
        request, "seances/logbook_form.html", {"form": form, "entry": None, "seance": seance}
    )


def _local_date(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


@login_required
def logbook_entry_detail(request: HttpRequest, public_id) -> HttpResponse:
    entry = _visible_entry(request, public_id)
    return render(
        request,
        "seances/logbook_entry_detail.html",
        {"entry": entry, "is_author": entry.author_id == request.user.pk},
    )


@login_required
def logbook_entry_edit(request: HttpRequest, public_id) -> HttpResponse:
    entry = _own_entry(request, public_id)
    form = LogbookEntryForm(
        request.POST or None,
        initial={
            "title": entry.title,
            "learnings": entry.learnings,
            "feelings": entry.feelings,
            "progress": entry.progress,
            "shared_with_mentor": entry.shared_with_mentor,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.logbook_entry_update(
                entry=entry,
                acting_user=request.user,
                title=data["title"],
                learnings=data["learnings"],
                feelings=data["feelings"],
                progress=data["progress"],
                shared_with_mentor=data["shared_with_mentor"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your entry is saved."))
            return redirect("seances:logbook_entry_detail", public_id=entry.public_id)
    return render(
        request, "seances/logbook_form.html", {"form": form, "entry": entry, "seance": None}
    )


@login_required
@require_POST
def logbook_entry_share(request: HttpRequest, public_id) -> HttpResponse:
    """Share with my mentor (`shared=1`) or take the entry back (`shared=0`)."""
    entry = _own_entry(request, public_id)
    shared = request.POST.get("shared") == "1"
    services.logbook_entry_share(entry=entry, shared=shared, acting_user=request.user)
    if shared:
        messages.success(request, _("Your mentor can now read this entry."))
    else:
        messages.success(request, _("This entry is private again: only you can read it."))
    return redirect(safe_next_url(request, default=_logbook_url()))


def _logbook_url() -> str:
    return reverse("seances:logbook")


@login_required
def logbook_entry_delete(request: HttpRequest, public_id) -> HttpResponse:
    """A confirmation page, then the deletion (POST)."""
    entry = _own_entry(request, public_id)
    if request.method == "POST":
        services.logbook_entry_delete(entry=entry, acting_user=request.user)
        messages.success(request, _("The entry is deleted."))
        return redirect("seances:logbook")
    return render(request, "seances/logbook_delete.html", {"entry": entry})


@login_required
def logbook_shared(request: HttpRequest) -> HttpResponse:
    """For mentors: the entries the people they follow chose to share with them."""
    if not can(request.user, "logbook.read_shared"):
        raise PermissionDenied
    entries = _entries(request.user).exclude(author=request.user).order_by("-shared_at", "-pk")
    return render(request, "seances/logbook_shared.html", paginate(request, entries, PAGE_SIZE))
