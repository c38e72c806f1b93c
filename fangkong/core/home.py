"""Cards on the home page. Each app registers the cards its users need; a card shows
when the user's role may do its action on its model."""

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


def cards_for(user: Any) -> list[dict]:
    out = []
    for card in _cards:
        if user.may(card.model_label, card.action):
            out.append({"card": card, "count": card.count(user) if card.count else None})
    return out


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
