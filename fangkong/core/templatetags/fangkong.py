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


@register.filter
def place(node: Any) -> str:
    """Where a division sits, by names from its county down (越城区 › 塔山街道 › 花园社区
    › 第1网格): names repeat across the tree (every village has a 第1网格), codes are
    not for people."""
    from fangkong.geo.picker import path_labels

    return path_labels([node])[node.code] if node is not None else ""


@register.simple_tag
def places(items: Any, attr: str = "") -> dict[str, str]:
    """`place` for every division of a list in two queries, by code:
    `{% places rows "node" as where %}` then `{{ where|get_item:r.node.code }}`."""
    from fangkong.geo.picker import path_labels

    return path_labels([getattr(i, attr) if attr else i for i in items])
