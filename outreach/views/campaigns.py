"""Information campaigns: the coordinators' pages (list, form, detail, sending) and the public
links of the messages (the tracked link, unsubscribing)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.http import add_service_errors, paginate
from outreach.enums import CampaignStatus
from outreach.forms_campaigns import CampaignForm
from outreach.models import Campaign
from outreach.permissions_campaigns import can_edit_campaign, can_manage_campaigns
from outreach.selectors import campaign_figures, campaigns_visible_to
from outreach.services.campaigns import (
    Selection,
    campaign_create,
    campaign_selection,
    campaign_send,
    campaign_update,
    cleaned_filters,
    is_unsubscribed,
    link_opened,
    recipient_for_link,
    recipient_for_unsubscribe_token,
    selection_filterset,
    spreading_minutes,
    target_url,
    unsubscribe,
)

# Read by the support request form (outreach.views.requests) to count the replies.
CAMPAIGN_SESSION_KEY = "outreach_campaign_id"
SELECTION_PREFIX = "selection"
PAGE_SIZE = 25
PREVIEW_SIZE = 20


def _require_coordinator(request: HttpRequest) -> None:
    if not can_manage_campaigns(request.user):
        raise PermissionDenied


def _visible_campaign(request: HttpRequest, public_id) -> Campaign:
    _require_coordinator(request)
    return get_object_or_404(
        campaign_figures(campaigns_visible_to(request.user)).select_related(
            "programme__organization", "group_session__offer", "created_by", "sent_by"
        ),
        public_id=public_id,
    )


def outreach_list_url(campaign: Campaign) -> str:
    """The outreach list showing the campaign's selection."""
    query = {**campaign.filters, "programme": str(campaign.programme.public_id)}
    return f"{reverse('beneficiaires:list')}?{urlencode(query)}"


def selection_summary(campaign: Campaign) -> list[tuple[str, str]]:
    """The selection's filters as (label, value) pairs, in words."""
    form = selection_filterset(campaign.programme, campaign.filters).form
    summary = []
    for name, value in campaign.filters.items():
        field = form.fields.get(name)
        if field is None:
            continue
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        summary.append((str(field.label), str(choices.get(str(value), value))))
    return summary


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns of the programmes the coordinator runs, with their figures."""
    _require_coordinator(request)
    campaigns = campaign_figures(campaigns_visible_to(request.user)).select_related("programme")
    return render(request, "outreach/campaigns/list.html", paginate(request, campaigns, PAGE_SIZE))


def _form_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    """The form of a new campaign or a draft: "preview" counts the selection, "save" writes."""
    initial = {}
    if campaign is not None:
        initial = {
            "programme": campaign.programme,
            "kind": campaign.kind,
            "group_session": campaign.group_session,
            "subject": campaign.subject,
            "body": campaign.body,
            "per_minute": campaign.per_minute,
        }
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, initial=initial, user=request.user)
    programme_hint = campaign.programme if campaign is not None else None
    if data is None:
        stored = campaign.filters if campaign is not None else {}
        selection_data = {f"{SELECTION_PREFIX}-{key}": value for key, value in stored.items()}
        selection = selection_filterset(programme_hint, selection_data, prefix=SELECTION_PREFIX)
    else:
        selection = selection_filterset(programme_hint, data, prefix=SELECTION_PREFIX)
    preview = None
    if data is not None:
        form_valid = form.is_valid()
        selection_valid = selection.form.is_valid()
        if form_valid and selection_valid:
            values = form.cleaned_data
            filters = cleaned_filters(selection)
            if request.POST.get("action") == "preview":
                draft = Campaign(programme=values["programme"], filters=filters)
                preview = _preview(campaign_selection(draft), values["per_minute"])
            else:
                arguments = {
                    "programme": values["programme"],
                    "kind": values["kind"],
                    "subject": values["subject"],
                    "body": values["body"],
                    "filters": filters,
                    "per_minute": values["per_minute"],
                    "group_session": values["group_session"],
                    "acting_user": request.user,
                }
                try:
                    if campaign is None:
                        saved = campaign_create(**arguments)
                    else:
                        saved = campaign_update(campaign=campaign, **arguments)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("The draft is saved."))
                    return redirect("outreach:campaign_detail", saved.public_id)
    return render(
        request,
        "outreach/campaigns/form.html",
        {"form": form, "selection": selection, "campaign": campaign, "preview": preview},
    )


def _preview(selection: Selection, per_minute: int) -> dict:
    return {
        "selection": selection,
        "people": [person for _address, person in selection.recipients[:PREVIEW_SIZE]],
        "minutes": spreading_minutes(selection.count, per_minute),
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, public_id) -> HttpResponse:
    campaign = _visible_campaign(request, public_id)
    if not can_edit_campaign(request.user, campaign):
        messages.info(request, _("This campaign has been sent: it can no longer be changed."))
        return redirect("outreach:campaign_detail", campaign.public_id)
    return _form_page(request, campaign)


def _figure_rows(campaign: Campaign) -> list[dict]:
    total = campaign.recipients_count or 0
    rows = [
        (_("Emails sent"), campaign.sent_count),
        (_("Waiting in the outbox"), campaign.pending_count),
        (_("Sending failed"), campaign.failed_count),
        (_("Links opened"), campaign.opened_count),
        (_("Replies (support requests)"), campaign.replies_count),
        (_("Unsubscribed through this campaign"), campaign.unsubscribed_count),
    ]
    return [
        {"label": label, "value": value, "percent": round(100 * value / total) if total else 0}
        for label, value in rows
    ]


@login_required
@require_GET
def campaign_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The message, the selection and its preview (a draft), the figures (once sent)."""
    campaign = _visible_campaign(request, public_id)
    is_draft = campaign.status == CampaignStatus.DRAFT
    return render(
        request,
        "outreach/campaigns/detail.html",
        {
            "campaign": campaign,
            "is_draft": is_draft,
            "can_edit": can_edit_campaign(request.user, campaign),
            "summary": selection_summary(campaign),
            "outreach_list_url": outreach_list_url(campaign),
            "preview": _preview(campaign_selection(campaign), campaign.per_minute)
            if is_draft
            else None,
            "figure_rows": None if is_draft else _figure_rows(campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_send_view(request: HttpRequest, public_id) -> HttpResponse:
    """GET: the confirmation (how many people, how long); POST: send."""
    campaign = _visible_campaign(request, public_id)
    if campaign.status != CampaignStatus.DRAFT:
        messages.info(request, _("This campaign has already been sent."))
        return redirect("outreach:campaign_detail", campaign.public_id)
    if request.method == "POST":
        try:
            count = campaign_send(campaign=campaign, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("outreach:campaign_detail", campaign.public_id)
        messages.success(
            request,
            ngettext(
                "The campaign is on its way to %(count)s person.",
                "The campaign is on its way to %(count)s people.",
                count,
            )
            % {"count": count},
        )
        return redirect("outreach:campaign_detail", campaign.public_id)
    return render(
        request,
        "outreach/campaigns/send.html",
        {
            "campaign": campaign,
            "preview": _preview(campaign_selection(campaign), campaign.per_minute),
        },
    )


def _unknown_link(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/campaigns/link_unknown.html", status=404)


@never_cache
@require_GET
def campaign_link(request: HttpRequest, token: str) -> HttpResponse:
    """The tracked link of a message: counted as opened once, remembered for a reply."""
    recipient = recipient_for_link(token)
    if recipient is None:
        return _unknown_link(request)
    link_opened(recipient=recipient)
    request.session[CAMPAIGN_SESSION_KEY] = recipient.campaign_id
    return redirect(target_url(recipient.campaign, token))


# The link of the message is the credential, and a mail provider's one-click unsubscribe
# (RFC 8058) posts without a CSRF token: a forged request could only unsubscribe.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def campaign_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a confirmation; POST records the unsubscription (asking twice is fine)."""
    recipient = recipient_for_unsubscribe_token(token)
    if recipient is None:
        return _unknown_link(request)
    organization = recipient.campaign.programme.organization
    if request.method == "POST":
        unsubscribe(recipient=recipient)
        done = True
    else:
        done = is_unsubscribed(recipient)
    return render(
        request,
        "outreach/campaigns/unsubscribe.html",
        {"recipient": recipient, "organization": organization, "done": done},
    )
