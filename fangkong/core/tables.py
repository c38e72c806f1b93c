"""Tables that become labelled cards on a phone.

Every data table of the platform has a header row. On a narrow screen the stylesheet
hides that row and shows each cell as "label  value"; the label comes from the cell's
`data-label` attribute, which this module adds to every cell of every table with a
header, so no template has to repeat its headers (`LabelTableCells` middleware)."""

import html
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S | re.I)
THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S | re.I)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
HEADER_CELL = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S | re.I)
CELL_TAG = re.compile(r"<(td|th)\b([^>]*)>", re.I)
TAG = re.compile(r"<[^>]+>")
SPAN = re.compile(r"""colspan\s*=\s*["']?(\d+)""", re.I)
CLASS = re.compile(r"""class\s*=\s*(["'])(.*?)\1""", re.I | re.S)
OPT_OUT = "no-cards"


def _span(attrs: str) -> int:
    match = SPAN.search(attrs)
    return max(1, int(match.group(1))) if match else 1


def _headers(head_html: str) -> list[str]:
    labels: list[str] = []
    for attrs, inner in HEADER_CELL.findall(head_html):
        text = " ".join(html.unescape(TAG.sub(" ", inner)).split())
        labels.extend([text] * _span(attrs))
    return labels


def _label_rows(body: str, labels: list[str]) -> str:
    def row(match: re.Match) -> str:
        column = 0

        def cell(cm: re.Match) -> str:
            nonlocal column
            tag, attrs = cm.group(1), cm.group(2)
            span = _span(attrs)
            # A cell across the whole row ("None.", a note) is not one column's value.
            whole = column == 0 and span > 1 and span >= len(labels)
            label = labels[column] if column < len(labels) and not whole else ""
            column += span
            if "data-label" in attrs.lower():
                return cm.group(0)
            return f'<{tag}{attrs} data-label="{html.escape(label, quote=True)}">'

        return CELL_TAG.sub(cell, match.group(0))

    return ROW.sub(row, body)


def _with_class(attrs: str) -> str:
    match = CLASS.search(attrs)
    if match is None:
        return f'{attrs} class="responsive"'
    classes = match.group(2).split()
    if "responsive" in classes:
        return attrs
    quote = match.group(1)
    new = f"class={quote}{' '.join([*classes, 'responsive'])}{quote}"
    return attrs[: match.start()] + new + attrs[match.end() :]


def label_tables(page: str) -> str:
    """The page with `data-label` on every cell of every table that has a header row."""

    def table(match: re.Match) -> str:
        attrs, inner = match.group(1), match.group(2)
        if OPT_OUT in attrs or "<table" in inner.lower():
            return match.group(0)
        head = THEAD.search(inner)
        if head is not None:
            labels, before, rest = _headers(head.group(1)), inner[: head.end()], inner[head.end() :]
        else:
            first = ROW.search(inner)
            if first is None or "<td" in first.group(1).lower():
                return match.group(0)
            labels, before, rest = (
                _headers(first.group(1)),
                inner[: first.end()],
                inner[first.end() :],
            )
        if not labels:
            return match.group(0)
        return f"<table{_with_class(attrs)}>{before}{_label_rows(rest, labels)}</table>"

    return TABLE.sub(table, page)


class LabelTableCells:
    """Adds the column header to each table cell of an HTML page (see module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(response, "streaming", False)
            or not response.get("Content-Type", "").startswith("text/html")
            or b"<table" not in response.content
        ):
            return response
        charset = response.charset or "utf-8"
        response.content = label_tables(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
