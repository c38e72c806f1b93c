"""Cards on the home page. Each app registers the cards its users need; a card shows
when the user's role may do its action on its model and the page is work for the role
(`shown`: the same cards make the menu, `core.navigation`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Card:
    title: Any
    url_name: str
    model_label: str
    action: str
    description: Any = ""
    count: Callable[[Any], int | None] | None = None


_cards: list[Card] = []


def register(card: Card) -> None:
    _cards.append(card)


def registered() -> list[Card]:
    return list(_cards)


# Pages a role may open (a link elsewhere leads there: a directive's page, a person's
# contacts, the jurisdiction of a record) but that hold nothing for it to do: they stay
# out of its menu, which lists its work only (docs/roles.md).
_FRONTLINE_READS = (
    "geo:browse",  # the picker and the breadcrumbs name places; browsing the tree is not work
    "riskareas:list",  # the list is public: /public/ shows it to anyone
    "tracing:dashboard",  # contacts reach the grid as screening tasks and observation
)
NOT_IN_MENU: dict[str, tuple[str, ...]] = {
    "village_staff": _FRONTLINE_READS + ("briefing:today", "public:bulletins"),
    "grid_worker": _FRONTLINE_READS + ("command:dashboard", "mobilisation:overview"),
}


def shown(user: Any) -> list[Card]:
    """The cards of the user's work, in the order registered: those its role may use, less
    the pages it may open but holds nothing to do on (`NOT_IN_MENU`). The one list that
    both the home page (`cards_for`) and the menu (`core.navigation.menu_for`) show."""
    hidden = NOT_IN_MENU.get(getattr(user, "role", ""), ())
    return [c for c in _cards if c.url_name not in hidden and user.may(c.model_label, c.action)]


def cards_for(user: Any) -> list[dict]:
    """The home page's cards (`shown`), each with its count."""
    return [{"card": c, "count": c.count(user) if c.count else None} for c in shown(user)]


@dataclass(frozen=True)
class Cockpit:
    """What a role lands on above its cards: `build(request)` gives the context of
    `template` (a fragment included at the top of the home page)."""

    roles: frozenset[str]
    template: str
    build: Callable[[Any], dict]


_cockpits: list[Cockpit] = []


def register_cockpit(cockpit: Cockpit) -> None:
    _cockpits.append(cockpit)


def cockpit_for(user: Any) -> Cockpit | None:
    """The cockpit of the user's role (the first registered), or None."""
    role = getattr(user, "role", "")
    return next((c for c in _cockpits if role in c.roles), None)
