"""What other apps' pages include: {% load privacy_tags %}{% beneficiary_erase_link beneficiary %}
(the beneficiary page: beneficiaires may not import privacy)."""

from django import template

from privacy.models import Anonymisation
from privacy.permissions import can_erase_beneficiary

register = template.Library()


@register.inclusion_tag("privacy/partials/erase_link.html", takes_context=True)
def beneficiary_erase_link(context, beneficiary):
    """The « Erase personal data » button, for who may erase, or the anonymisation date."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not can_erase_beneficiary(user, beneficiary):
        return {"show": False}
    return {
        "show": True,
        "beneficiary": beneficiary,
        "done": Anonymisation.objects.filter(beneficiary=beneficiary).first(),
    }
