from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request) -> dict:
    """The main navigation for the current person's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("core:home"))]
    if user.is_coordinator or user.is_superuser:
        items.append((_("Programmes"), reverse("programmes:list")))
        items.append((_("Beneficiaries"), reverse("beneficiaires:list")))
        items.append((_("Agenda"), reverse("seances:mentors")))
        items.append((_("Group sessions"), reverse("seances:group_sessions")))
        items.append((_("Partners"), reverse("partners:list")))
    elif user.is_mentor:
        items.append((_("My agenda"), reverse("seances:agenda")))
        items.append((_("My beneficiaries"), reverse("beneficiaires:list")))
        items.append((_("Group sessions"), reverse("seances:group_sessions")))
        items.append((_("Programmes"), reverse("programmes:list")))
        items.append((_("Partners"), reverse("partners:list")))
    elif user.is_beneficiary:
        items.append((_("Book an appointment"), reverse("seances:book")))
        items.append((_("Group sessions"), reverse("seances:group_sessions")))
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "active": current == url or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ]
    }
