"""Templates ask the permission table too: ``{% can "beneficiary.manage" record as may_edit %}``."""

from django import template

from accounts.rules import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    return can_do(context["request"].user, action, obj)
