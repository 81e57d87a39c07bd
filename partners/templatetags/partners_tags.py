"""Sections other apps' pages include:
{% load partners_tags %}{% beneficiary_referrals beneficiary %}."""

from django import template

from partners.models import Referral
from partners.permissions import can_create_referral, can_list_referrals

register = template.Library()


@register.inclusion_tag("partners/partials/beneficiary_section.html", takes_context=True)
def beneficiary_referrals(context, beneficiary):
    """The referrals section of a beneficiary's page. Referrals are internal to the network:
    the section does not show at all to the beneficiary."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_list_referrals(user):
        return {"show": False}
    referrals = (
        Referral.objects.visible_to(user)
        .filter(beneficiary=beneficiary)
        .select_related("partner", "programme")
        .order_by("-sent_on", "-pk")
    )
    return {
        "show": True,
        "beneficiary": beneficiary,
        "referrals": list(referrals),
        "can_create": can_create_referral(user, beneficiary),
        "request": request,
    }
