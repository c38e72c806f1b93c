"""The menu of each role: its daily jobs first, everything else it may open under "more".

The entries are the home cards the apps register, as `core.home.shown` gives them to the
user (the home page shows the same ones); this module only decides their order and
grouping. A role's menu never holds an entry its permissions refuse, and
the top of the menu is at most `TOP_LIMIT` entries so that the page's content starts
within the first screen of a phone (docs/roles.md lists the resulting menus).
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from fangkong.core import home

TOP_LIMIT = 8

# Groups under "more", in the order officials think of the work.
GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "frontline",
        _("Prevention at the grid"),
        (
            "screening:today",
            "screening:progress",
            "screening:lists",
            "observation:dashboard",
            "observation:tasks",
            "healthcode:dashboard",
            "tracing:venues",
        ),
    ),
    (
        "medical",
        _("Treatment and tracing"),
        ("clinical:board", "tracing:dashboard", "tracing:chains", "companions:runs"),
    ),
    (
        "command",
        _("Command"),
        (
            "briefing:today",
            "command:dashboard",
            "command:inbox",
            "command:reports",
            "supplies:index",
        ),
    ),
    ("registry", _("Persons and places"), ("people:list", "geo:browse")),
    (
        "cadres",
        _("Party members and cadres"),
        (
            "mobilisation:overview",
            "mobilisation:registrations",
            "mobilisation:posts",
            "care:difficulties",
            "care:deeds",
            "supervision:index",
            "supervision:tasks",
            "supervision:commendations",
        ),
    ),
    (
        "public",
        _("Public information"),
        (
            "public:bulletins",
            "public:questions",
            "public:rumours",
            "public:applications",
            "public:gatherings",
            "public:schools",
        ),
    ),
    ("system", _("System"), ("audit",)),
)

# The daily jobs of each role, most used first (at most TOP_LIMIT are shown at the top).
_HQ_TOP = (
    "briefing:today",
    "command:dashboard",
    "command:inbox",
    "screening:progress",
    "observation:dashboard",
    "tracing:dashboard",
    "supplies:index",
    "supervision:tasks",
)
TOP: dict[str, tuple[str, ...]] = {
    "city_hq": _HQ_TOP,
    "county_hq": _HQ_TOP,
    "town_hq": _HQ_TOP,
    "village_staff": (
        "screening:today",
        "observation:tasks",
        "people:list",
        "command:inbox",
        "screening:progress",
        "mobilisation:registrations",
        "mobilisation:posts",
        "care:difficulties",
    ),
    "grid_worker": (
        "screening:today",
        "observation:tasks",
        "people:list",
        "command:inbox",
        "healthcode:dashboard",
        "care:difficulties",
    ),
    "medical": (
        "clinical:board",
        "observation:dashboard",
        "observation:tasks",
        "tracing:dashboard",
        "people:list",
        "supplies:index",
    ),
    "cdc": (
        "tracing:dashboard",
        "tracing:chains",
        "companions:runs",
        "clinical:board",
        "briefing:today",
        "healthcode:dashboard",
        "command:inbox",
        "people:list",
    ),
    "quarantine_site": (
        "observation:dashboard",
        "observation:tasks",
        "people:list",
        "healthcode:dashboard",
        "supplies:index",
    ),
    "supplies": ("supplies:index",),
    "organisation": (
        "mobilisation:overview",
        "supervision:commendations",
        "care:difficulties",
        "care:deeds",
        "command:inbox",
        "briefing:today",
    ),
    "discipline": (
        "supervision:index",
        "audit",
        "supervision:commendations",
        "command:inbox",
        "briefing:today",
        "public:questions",
    ),
    "sysadmin": ("geo:browse", "people:list", "audit", "command:dashboard"),
}

# Roles whose work has no other program calling the API: no link to API tokens.
NO_API_TOKENS = frozenset({"village_staff", "grid_worker"})


@dataclass
class Group:
    key: str
    title: Any
    cards: list[home.Card] = field(default_factory=list)


@dataclass
class Menu:
    top: list[home.Card]
    more: list[Group]
    api_tokens: bool = True

    @property
    def count(self) -> int:
        return len(self.top) + sum(len(g.cards) for g in self.more)


def _group_of(url_name: str) -> str:
    for key, _title, names in GROUPS:
        if url_name in names:
            return key
    return "system"


def first_the_role_s_jobs(user: Any, cards: list[dict]) -> list[dict]:
    """The home page's cards with the role's daily jobs first, in the menu's order (a
    CDC officer meets tracing before the registry), the others after as registered."""
    top = {n: i for i, n in enumerate(TOP.get(getattr(user, "role", ""), ()))}
    return sorted(cards, key=lambda c: top.get(c["card"].url_name, len(top)))


def menu_for(user: Any) -> Menu:
    """The menu of a signed-in user: allowed entries only, the role's jobs on top."""
    role = getattr(user, "role", "")
    allowed = {c.url_name: c for c in home.shown(user)}
    top_names = [n for n in TOP.get(role, ()) if n in allowed][:TOP_LIMIT]
    top = [allowed[n] for n in top_names]
    groups = {key: Group(key, title) for key, title, _names in GROUPS}
    order = {n: i for _k, _t, names in GROUPS for i, n in enumerate(names)}
    rest = sorted(
        (c for n, c in allowed.items() if n not in top_names),
        key=lambda c: order.get(c.url_name, 99),
    )
    for card in rest:
        groups[_group_of(card.url_name)].cards.append(card)
    more = [g for g in groups.values() if g.cards]
    return Menu(top=top, more=more, api_tokens=role not in NO_API_TOKENS)
