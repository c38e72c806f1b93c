"""The cockpits each role lands on (core.home's registry: core never imports us)."""

from typing import Any

from fangkong.core import home

LEADERS = frozenset({"city_hq", "county_hq", "town_hq"})
GRID = frozenset({"grid_worker", "village_staff"})
CLINIC = frozenset({"medical"})
SITE = frozenset({"quarantine_site"})


def leader_context(request: Any) -> dict[str, Any]:
    from fangkong.cockpit import present

    return present.leader(request.user)


def grid_context(request: Any) -> dict[str, Any]:
    from fangkong.cockpit import front

    return {"visits": front.visits(request.user), "missed": front.missed_checkins(request.user)}


def clinic_context(request: Any) -> dict[str, Any]:
    from fangkong.cockpit import front

    return {"clocks": front.clocks(request.user)}


def site_context(request: Any) -> dict[str, Any]:
    from fangkong.cockpit import front

    return {"site_day": front.sites_today(request.user)}


def register_cockpits() -> None:
    home.register_cockpit(home.Cockpit(LEADERS, "cockpit/leader.html", leader_context))
    home.register_cockpit(home.Cockpit(GRID, "cockpit/grid.html", grid_context))
    home.register_cockpit(home.Cockpit(CLINIC, "cockpit/clinic.html", clinic_context))
    home.register_cockpit(home.Cockpit(SITE, "cockpit/site.html", site_context))
