"""Print the permission table (accounts.rules.TABLE) as Markdown: docs/permissions.md."""

from django.core.management.base import BaseCommand

from accounts.rules import RELATION_LABELS, TABLE, Relation, registered_relations

COLUMNS = [
    Relation.ANYONE,
    Relation.AUTHENTICATED,
    Relation.SUPERUSER,
    Relation.COORDINATOR,
    Relation.MENTOR,
    Relation.BENEFICIARY,
    Relation.COORDINATOR_OF,
    Relation.MENTOR_OF,
    Relation.SELF,
]


def render_table() -> str:
    used = {relation for entry in TABLE.values() for relation in (*entry.allow, *entry.deny)}
    columns = [relation for relation in COLUMNS if relation in used]
    lines = [
        "# Permission table",
        "",
        "Printed by `python manage.py permission_table` from `accounts/rules.py`; a test keeps",
        "this file identical to the command's output. Pages, API and templates ask",
        '`can(user, "action", obj)`; which rows a person sees at all is each model\'s',
        "`visible_to(user)`. ✓ grants the action, ✗ refuses it whatever else holds.",
        "",
        "## Relations",
        "",
    ]
    lines += [f"- `{relation}`: {RELATION_LABELS[relation]}" for relation in columns]
    lines += ["", "## Rules", ""]
    lines.append("| action | " + " | ".join(f"`{c}`" for c in columns) + " | why |")
    lines.append("|---" * (len(columns) + 2) + "|")
    for action, entry in TABLE.items():
        cells = ["✗" if c in entry.deny else "✓" if c in entry.allow else "" for c in columns]
        lines.append(f"| `{action}` | " + " | ".join(cells) + f" | {entry.why} |")
    lines += ["", "## Objects and the relations they answer", ""]
    for label, relations in registered_relations().items():
        names = ", ".join(f"`{r}`" for r in COLUMNS if r in relations)
        lines.append(f"- `{label}`: {names}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the permission table as Markdown."

    def handle(self, *args, **options):
        self.stdout.write(render_table(), ending="")
