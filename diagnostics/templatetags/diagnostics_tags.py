"""Sections other apps' pages include: {% load diagnostics_tags %}{% beneficiary_diagnostics beneficiary %}."""

from django import template

register = template.Library()


@register.inclusion_tag("diagnostics/partials/beneficiary_section.html", takes_context=True)
def beneficiary_diagnostics(context, beneficiary):
    """The diagnostics section of a beneficiary's page (filled in by the diagnostics app)."""
    return {"beneficiary": beneficiary, "request": context.get("request")}
