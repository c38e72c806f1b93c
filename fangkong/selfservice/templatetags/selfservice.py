from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def proxy_note(person_id: int) -> str:
    """“Applied for by their son or daughter 张三” on a code applied for by family."""
    from fangkong.selfservice.actions import latest_proxy

    found = latest_proxy(person_id)
    if found is None:
        return ""
    return _("Applied for by %(relation)s %(name)s") % {
        "relation": found.get_relation_display(),
        "name": found.applicant_name,
    }
