from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key, "")


@register.filter
def index_label(counters: list, i: int) -> Any:
    return counters[i].label


@register.filter
def audit_what(entry: Any) -> str:
    from fangkong.core.audit import describe

    return describe(entry)


@register.filter
def audit_record(entry: Any) -> str:
    from fangkong.core.audit import record_label

    return record_label(entry)


@register.filter
def audit_action(entry: Any) -> str:
    from fangkong.core.audit import action_label

    return action_label(entry)


@register.filter
def page_link(listing: Any, number: int) -> str:
    """The address of page `number` of a list, its filters kept (core/listing.py)."""
    return listing.link(number)


@register.filter
def level_label(value: Any) -> Any:
    """A division level's name in the reader's language (县/区 for `county`), never the
    stored value; an unknown value is shown as it is."""
    from fangkong.geo.choices import Level

    return Level(value).label if value in Level.values else value
