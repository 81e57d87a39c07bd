"""Sections other apps' pages include:
{% load diagnostics_tags %}{% beneficiary_diagnostics beneficiary %}."""

from django import template

from diagnostics.permissions import can_create_diagnostic, is_support_team
from diagnostics.selectors import diagnostics_of_beneficiary

register = template.Library()


@register.inclusion_tag("diagnostics/partials/beneficiary_section.html", takes_context=True)
def beneficiary_diagnostics(context, beneficiary):
    """The diagnostics section of a beneficiary's page: one query for the list, at most one more
    for the permission (is the person a referent mentor?)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "beneficiary": beneficiary,
            "diagnostics": [],
            "can_create": False,
            "can_open": False,
        }
    return {
        "beneficiary": beneficiary,
        "diagnostics": list(diagnostics_of_beneficiary(user, beneficiary)),
        "can_create": can_create_diagnostic(user, beneficiary),
        # The team opens a diagnostic; the beneficiary sees the list of their own.
        "can_open": is_support_team(user),
    }
