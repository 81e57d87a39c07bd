from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _menus(user) -> list:
    """(label, url) for a link, (label, [(label, url), …]) for a menu of links."""
    items = [(_("Home"), reverse("core:home"))]
    if user.is_coordinator or user.is_superuser:
        items += [
            (_("Programmes"), reverse("programmes:list")),
            (_("Beneficiaries"), reverse("beneficiaires:list")),
            (
                _("Agenda"),
                [
                    (_("Mentors' agendas"), reverse("seances:mentors")),
                    (_("Group sessions"), reverse("seances:group_sessions")),
                    (_("Notification log"), reverse("notifications:log")),
                ],
            ),
            (
                _("Séances"),
                [
                    (_("Séances held"), reverse("seances:seance_list")),
                    (_("Action plans"), reverse("seances:action_plan")),
                    (_("Tutoring"), reverse("seances:tutoring_pairs")),
                ],
            ),
            (
                _("Evaluation"),
                [
                    (_("Questionnaires"), reverse("evaluation:questionnaire_list")),
                ],
            ),
            (
                _("Network"),
                [
                    (_("Partners"), reverse("partners:list")),
                    (_("Network showcase"), reverse("outreach:showcase")),
                    (_("Contact requests about projects"), reverse("outreach:showcase_contacts")),
                    (_("Public catalogue"), reverse("outreach:catalogue")),
                    (_("Information campaigns"), reverse("outreach:campaign_list")),
                ],
            ),
        ]
    elif user.is_mentor:
        items += [
            (
                _("My agenda"),
                [
                    (_("My agenda"), reverse("seances:agenda")),
                    (_("Group sessions"), reverse("seances:group_sessions")),
                ],
            ),
            (
                _("Séances"),
                [
                    (_("My séances"), reverse("seances:seance_list")),
                    (_("Record a séance"), reverse("seances:seance_new")),
                    (_("Action plans"), reverse("seances:action_plan")),
                    (_("Logbooks shared with me"), reverse("seances:logbook_shared")),
                    (_("Tutoring"), reverse("seances:tutoring_pairs")),
                ],
            ),
            (_("My beneficiaries"), reverse("beneficiaires:list")),
            (
                _("Network"),
                [
                    (_("Programmes"), reverse("programmes:list")),
                    (_("Partners"), reverse("partners:list")),
                    (_("Network showcase"), reverse("outreach:showcase")),
                ],
            ),
        ]
    elif user.is_beneficiary:
        items += [
            (_("Book an appointment"), reverse("seances:book")),
            (_("Group sessions"), reverse("seances:group_sessions")),
            (
                _("My support"),
                [
                    (_("My séances"), reverse("seances:seance_list")),
                    (_("My action plan"), reverse("seances:action_plan")),
                    (_("My logbook"), reverse("seances:logbook")),
                    (_("My questionnaires"), reverse("evaluation:my_questionnaires")),
                    (_("My project in the network"), reverse("outreach:my_project")),
                    (_("My data"), reverse("privacy:my_data")),
                ],
            ),
        ]
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    return items


def _is_current(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def navigation(request) -> dict:
    """The main navigation for the current person's roles; a menu is active when one of
    its links is (the longest matching link wins, so a sub-page lights one entry)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    links = [
        url
        for _label, target in _menus(user)
        for url in ([target] if isinstance(target, str) else [u for _l, u in target])
    ]
    current = max((url for url in links if _is_current(path, url)), key=len, default=None)
    nav_items = []
    for label, target in _menus(user):
        if isinstance(target, str):
            nav_items.append({"label": label, "url": target, "active": target == current})
        else:
            children = [
                {"label": child, "url": url, "active": url == current} for child, url in target
            ]
            nav_items.append(
                {
                    "label": label,
                    "children": children,
                    "active": any(child["active"] for child in children),
                }
            )
    return {"nav_items": nav_items}
