"""Print the role table (role × capability × actions) and each role's menu as Markdown.

docs/roles.md is this output plus the notes on why each role has what it has:
`fangkong roles_table > /tmp/roles.md` after changing a grant, and update the doc."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role, _table
from fangkong.core import navigation


def role_table() -> str:
    models = sorted({label for grants in _table.values() for label in grants})
    lines = ["| capability (model) | " + " | ".join(Role.values) + " |"]
    lines.append("| --- |" + " --- |" * len(Role.values))
    for label in models:
        app_label, _, model_name = label.partition(".")
        try:
            verbose = str(apps.get_model(app_label, model_name)._meta.verbose_name)
        except LookupError:
            verbose = label
        cells = [
            ", ".join(sorted(_table.get(role, {}).get(label, ()))) or "—" for role in Role.values
        ]
        lines.append(f"| {verbose} (`{label}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def menus() -> str:
    out = []
    for role in Role:
        menu = navigation.menu_for(User(role=role.value))
        top = " · ".join(str(c.title) for c in menu.top)
        more = "; ".join(
            f"{g.title}: " + ", ".join(str(c.title) for c in g.cards) for g in menu.more
        )
        out.append(f"| {role.label} (`{role.value}`) | {top} | {more or '—'} |")
    return "\n".join(["| role | menu (top) | under 更多 |", "| --- | --- | --- |", *out])


class Command(BaseCommand):
    help = "Print the role table and the menus of each role (Markdown, zh-Hans titles)."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            self.stdout.write("## Menus\n\n" + menus() + "\n\n## Grants\n\n" + role_table() + "\n")
