"""The "record the séance" / "open the séance" button of an appointment's or a group
session's page: open when the séance exists and the person may see it, record when it does
not and they may open it."""

from django import template

from seances.models import Appointment, GroupSession, Seance
from seances.services.seances import can_open_from_appointment, can_open_from_group_session

register = template.Library()


@register.inclusion_tag("seances/seance_origin_button.html", takes_context=True)
def seance_button_for_appointment(context, appointment: Appointment) -> dict:
    user = context["request"].user
    existing = Seance.objects.visible_to(user).filter(appointment=appointment).first()
    return {
        "existing": existing,
        "create_url_name": "seances:seance_from_appointment",
        "origin": appointment,
        "may_create": existing is None
        and not Seance.objects.filter(appointment=appointment).exists()
        and can_open_from_appointment(user, appointment),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("seances/seance_origin_button.html", takes_context=True)
def seance_button_for_group_session(context, session: GroupSession) -> dict:
    user = context["request"].user
    existing = Seance.objects.visible_to(user).filter(group_session=session).first()
    return {
        "existing": existing,
        "create_url_name": "seances:seance_from_group_session",
        "origin": session,
        "may_create": existing is None
        and not Seance.objects.filter(group_session=session).exists()
        and can_open_from_group_session(user, session),
        "csrf_token": context.get("csrf_token"),
    }
