"""The network showcase: the projects of people who agreed to have them relayed.

Network pages (coordinators and mentors of any structure), the public list (cards marked
public), the card form (who follows the person), the coordinators' contact requests and the
beneficiary's own page, where they give or withdraw their consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.rules import can
from beneficiaires.models import Beneficiary
from outreach.antispam import rate_limited
from outreach.forms_showcase import (
    ContactForm,
    ProjectCardForm,
    PublicContactForm,
    ShowcaseFilterForm,
)
from outreach.models import ProjectCard
from outreach.permissions import can_browse_showcase, can_write_card, coordinates_programme
from outreach.selectors_showcase import contacts_for, shown_cards, theme_names
from outreach.services.showcase import (
    card_delete,
    card_save,
    contact_mark_handled,
    contact_send,
    has_network_consent,
    own_consent_set,
)

PER_PAGE = 24


def _filtered(request: HttpRequest, *, public_only: bool):
    form = ShowcaseFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    cards = shown_cards(
        public_only=public_only,
        q=values.get("q", ""),
        territory=values.get("territory", ""),
        theme=values.get("theme", ""),
    )
    page = Paginator(cards, PER_PAGE).get_page(request.GET.get("page"))
    themes = theme_names(shown_cards(public_only=public_only))
    return form, page, themes


def _apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def showcase_list(request: HttpRequest) -> HttpResponse:
    if not can_browse_showcase(request.user):
        raise PermissionDenied
    form, page, themes = _filtered(request, public_only=False)
    return render(
        request,
        "outreach/showcase/list.html",
        {"form": form, "page": page, "themes": themes, "public": False},
    )


@login_required
def showcase_card(request: HttpRequest, public_id) -> HttpResponse:
    if not can_browse_showcase(request.user):
        raise PermissionDenied
    card = get_object_or_404(shown_cards(), public_id=public_id)
    user = request.user
    form = ContactForm(
        request.POST or None,
        initial={"sender_name": user.get_full_name(), "sender_email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact_send(card=card, sender=user, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your message was passed on to the coordination of the programme."),
            )
            return redirect("outreach:showcase_card", public_id=card.public_id)
    return render(
        request,
        "outreach/showcase/card.html",
        {
            "card": card,
            "form": form,
            "public": False,
            "can_edit": can_write_card(user, card.beneficiary),
        },
    )


def catalogue_projects(request: HttpRequest) -> HttpResponse:
    form, page, themes = _filtered(request, public_only=True)
    return render(
        request,
        "outreach/showcase/list.html",
        {"form": form, "page": page, "themes": themes, "public": True},
    )


def catalogue_project(request: HttpRequest, public_id) -> HttpResponse:
    card = get_object_or_404(shown_cards(public_only=True), public_id=public_id)
    form = PublicContactForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "showcase-contact", limit=5, window_seconds=3600):
            form.is_valid()
            form.add_error(None, _("Too many messages from your connection: try again later."))
        elif form.is_valid():
            data = {
                name: form.cleaned_data[name] for name in ("sender_name", "sender_email", "message")
            }
            try:
                contact_send(card=card, **data)
            except ValidationError as error:
                _apply_form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your message was passed on to the coordination of the programme."),
                )
                return redirect("outreach:catalogue_project", public_id=card.public_id)
    return render(
        request,
        "outreach/showcase/card.html",
        {"card": card, "form": form, "public": True, "can_edit": False},
    )


@login_required
def card_edit(request: HttpRequest, beneficiary_public_id, card_public_id=None) -> HttpResponse:
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user), public_id=beneficiary_public_id
    )
    if not can_write_card(request.user, beneficiary):
        raise PermissionDenied
    card = None
    if card_public_id is not None:
        card = get_object_or_404(beneficiary.project_cards, public_id=card_public_id)
    form = ProjectCardForm(request.POST or None, instance=card, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = card_save(
                beneficiary=beneficiary,
                card=card,
                acting_user=request.user,
                programme=data["programme"],
                title=data["title"],
                summary=data["summary"],
                territory=data["territory"],
                themes=data["themes"],
                needs_partners=data["needs_partners"],
                needs_skills=data["needs_skills"],
                needs_resources=data["needs_resources"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(
                request,
                _("The project card is saved: it is shown in the network.")
                if has_network_consent(beneficiary)
                else _(
                    "The project card is saved. It stays hidden until the person agrees "
                    "to the relay of their project."
                ),
            )
            return redirect(
                "outreach:card_edit",
                beneficiary_public_id=beneficiary.public_id,
                card_public_id=saved.public_id,
            )
    return render(
        request,
        "outreach/showcase/card_form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "card": card,
            "consent": has_network_consent(beneficiary),
        },
    )


@login_required
@require_POST
def card_remove(request: HttpRequest, beneficiary_public_id, card_public_id) -> HttpResponse:
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user), public_id=beneficiary_public_id
    )
    card = get_object_or_404(beneficiary.project_cards, public_id=card_public_id)
    card_delete(card=card, acting_user=request.user)
    messages.success(request, _("The project card is deleted."))
    return redirect("beneficiaires:detail", public_id=beneficiary.public_id)


@login_required
def showcase_contacts(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "showcase.moderate"):
        raise PermissionDenied
    contacts = contacts_for(request.user).order_by("handled_at", "-created_at")
    page = Paginator(contacts, 30).get_page(request.GET.get("page"))
    return render(request, "outreach/showcase/contacts.html", {"page": page})


@login_required
@require_POST
def showcase_contact_handled(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(contacts_for(request.user), pk=pk)
    if not coordinates_programme(request.user, contact.card.programme):
        raise Http404
    contact_mark_handled(contact=contact, acting_user=request.user)
    messages.success(request, _("Marked as handled."))
    return redirect("outreach:showcase_contacts")


@login_required
def my_project(request: HttpRequest) -> HttpResponse:
    beneficiary = getattr(request.user, "beneficiary_profile", None)
    if beneficiary is None:
        raise PermissionDenied
    if request.method == "POST":
        give = request.POST.get("consent") == "give"
        if own_consent_set(beneficiary=beneficiary, consent=give, acting_user=request.user):
            messages.success(
                request,
                _("Your project can now be relayed in the network.")
                if give
                else _("Your consent is withdrawn: your project is no longer shown."),
            )
        return redirect("outreach:my_project")
    cards = ProjectCard.objects.filter(beneficiary=beneficiary).select_related("programme")
    return render(
        request,
        "outreach/showcase/my_project.html",
        {
            "beneficiary": beneficiary,
            "cards": cards.prefetch_related("themes"),
            "consent": has_network_consent(beneficiary),
        },
    )
