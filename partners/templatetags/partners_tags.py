"""Sections other apps' pages include: {% load partners_tags %}{% beneficiary_referrals beneficiary %}."""

from django import template

register = template.Library()


@register.inclusion_tag("partners/partials/beneficiary_section.html", takes_context=True)
def beneficiary_referrals(context, beneficiary):
    """The referrals section of a beneficiary's page (filled in by the partners app)."""
    return {"beneficiary": beneficiary, "request": context.get("request")}
