"""Roles and what each may do, as data.

Each app adds the grants for its own models with `grant(...)` in its AppConfig.ready
(or at import of its permissions module), so the table stays next to the models it
talks about. Actions are verbs: view, add, change, delete, reveal (see full ID/phone),
merge, export, and app-specific ones.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_HQ = "city_hq", _("City headquarters")
    COUNTY_HQ = "county_hq", _("County headquarters")
    TOWN_HQ = "town_hq", _("Town headquarters")
    VILLAGE_STAFF = "village_staff", _("Village / community staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    MEDICAL = "medical", _("Medical institution")
    CDC = "cdc", _("CDC")
    QUARANTINE_SITE = "quarantine_site", _("Quarantine site staff")
    SUPPLIES = "supplies", _("Supplies officer")
    ORGANISATION = "organisation", _("Organisation department")
    DISCIPLINE = "discipline", _("Discipline inspection / supervision")
    SYSADMIN = "sysadmin", _("System administrator")


HQ_ROLES = {Role.CITY_HQ, Role.COUNTY_HQ, Role.TOWN_HQ}
CITY_LEVEL_ROLES = {Role.CITY_HQ, Role.SYSADMIN, Role.CDC}

_table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))


def grant(roles: Iterable[str], model_label: str, actions: set[str]) -> None:
    """Let each of `roles` (`Role` members or their values) do `actions` on the model."""
    for role in roles:
        _table[str(role)][model_label] |= set(actions)


def may(role: str, model_label: str, action: str) -> bool:
    return action in _table.get(role, {}).get(model_label, set())


def apps_of(role: str) -> set[str]:
    """The apps in which the role holds at least one grant (Django's module permission)."""
    return {label.split(".")[0] for label, acts in _table.get(role, {}).items() if acts}


def actions_of(role: str, model_label: str) -> set[str]:
    return set(_table.get(role, {}).get(model_label, set()))


ALL = set(Role.values)
FIELD_ROLES = HQ_ROLES | {Role.VILLAGE_STAFF, Role.GRID_WORKER}
HEALTH_ROLES = {Role.MEDICAL, Role.CDC, Role.QUARANTINE_SITE}

# Jurisdictions: everyone browses their own subtree; only administrators edit grids.
grant(ALL, "geo.division", {"view"})
grant({Role.SYSADMIN, Role.CITY_HQ, Role.COUNTY_HQ}, "geo.division", {"add", "change"})

# Persons (C2).
grant(FIELD_ROLES | HEALTH_ROLES | {Role.SYSADMIN}, "people.person", {"view", "add", "change"})
grant(FIELD_ROLES | HEALTH_ROLES, "people.person", {"reveal"})
grant(HQ_ROLES | {Role.VILLAGE_STAFF, Role.SYSADMIN}, "people.person", {"merge", "export"})
grant(FIELD_ROLES | HEALTH_ROLES | {Role.SYSADMIN}, "people.household", {"view", "add", "change"})
# Discipline inspection looks persons up when it checks who saw whose data; supplies
# officers and the organisation department have no work with the resident registry.
grant({Role.DISCIPLINE}, "people.person", {"view"})

# Background jobs: everyone sees the progress of jobs in their subtree.
grant(ALL, "core.job", {"view"})

# Accounts and audit.
grant({Role.SYSADMIN}, "accounts.user", {"view", "add", "change"})
grant(HQ_ROLES, "accounts.user", {"view"})
grant({Role.DISCIPLINE, Role.SYSADMIN}, "auditlog.logentry", {"view"})
