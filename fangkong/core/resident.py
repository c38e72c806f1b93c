"""What every resident-facing page (no account, opened from a link or a code on the
phone) does alike: it speaks Chinese unless the person chose another language, and it
shows a name only by its first character."""

from django.http import HttpRequest
from django.utils import translation


def masked_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def chinese_unless_chosen(request: HttpRequest) -> None:
    """The person's pages are Chinese unless the person picked another language."""
    if not request.COOKIES.get("django_language"):
        translation.activate("zh-hans")
        request.LANGUAGE_CODE = "zh-hans"
