from typing import Any

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def err(errors: dict, field: str, index: Any = None) -> str:
    """The messages of one field (`stays.0.code`-style keys when an index is given)."""
    if index is None:
        msgs = errors.get(field, [])
    else:
        prefix = f"{field}.{index}."
        msgs = [m for k, v in errors.items() if k.startswith(prefix) for m in v]
    return format_html_join(
        "", '<div class="errorlist" role="alert">{}</div>', ((m,) for m in msgs)
    )
