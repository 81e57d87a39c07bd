"""The support requests section of a beneficiary's page (beneficiaires/beneficiary_detail.html)."""

from django import template

from beneficiaires.permissions import can_view_outreach

register = template.Library()


@register.inclusion_tag("outreach/requests/_on_beneficiary.html", takes_context=True)
def beneficiary_support_requests(context, beneficiary):
    """The requests that brought this record in, for the team that sees its outreach data:
    one query, whatever their number."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_view_outreach(user, beneficiary):
        return {"support_requests": []}
    return {
        "support_requests": list(
            beneficiary.support_requests.select_related(
                "offer", "campaign", "appointment__mentor", "programme"
            ).order_by("-created_at", "-pk")
        )
    }
