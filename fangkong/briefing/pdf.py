"""The briefing as a PDF (WeasyPrint; CJK text in Noto Sans CJK from Debian fonts-noto-cjk).
Charts are drawn as inline SVG on the server: the PDF has no JavaScript."""

from typing import Any

from django.template.loader import render_to_string

from fangkong.briefing.present import context_for


def bars_svg(
    values: list[int],
    stacked: list[int] | None = None,
    width: int = 640,
    height: int = 140,
    line: list[int] | None = None,
    shade_from: int | None = None,
    days: list[str] | None = None,
) -> str:
    """A plain bar chart of daily counts (local in dark red, imported stacked in orange),
    optionally a second series as a blue line and the days from `shade_from` shaded."""
    n = len(values)
    if not n:
        return ""
    totals = [v + (stacked[i] if stacked else 0) for i, v in enumerate(values)]
    top = max(max(totals), max(line or [0]), 1)
    w = width / n
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" viewBox="0 0 {width} {height + 30}">'
    ]
    if shade_from is not None and 0 <= shade_from < n:
        out.append(
            f'<rect x="{shade_from * w:.1f}" y="0" width="{(n - shade_from) * w:.1f}" height="{height}" fill="#eeeeee"/>'
        )
    for i, v in enumerate(values):
        h = height * v / top
        out.append(
            f'<rect x="{i * w:.1f}" y="{height - h:.1f}" width="{max(w - 1, 1):.1f}" height="{h:.1f}" fill="#8f1d1d"/>'
        )
        if stacked and stacked[i]:
            h2 = height * stacked[i] / top
            out.append(
                f'<rect x="{i * w:.1f}" y="{height - h - h2:.1f}" width="{max(w - 1, 1):.1f}" height="{h2:.1f}" fill="#fc8d59"/>'
            )
    if line:
        points = " ".join(
            f"{(i + 0.5) * w:.1f},{height - height * v / top:.1f}" for i, v in enumerate(line)
        )
        out.append(f'<polyline points="{points}" fill="none" stroke="#4575b4" stroke-width="1.5"/>')
    out.append(f'<line x1="0" y1="{height}" x2="{width}" y2="{height}" stroke="#333"/>')
    out.append(
        f'<text x="2" y="{height - 2}" font-size="9">0</text>'
        f'<text x="2" y="10" font-size="9" class="y-max">{top}</text>'
    )
    if days:  # the date axis: a tick and its date (MM-DD) every 7 days, and the last day
        marks = sorted({*range(0, n, 7), n - 1})
        for i in marks:
            x = (i + 0.5) * w
            out.append(
                f'<line x1="{x:.1f}" y1="{height}" x2="{x:.1f}" y2="{height + 4}" stroke="#333"/>'
                f'<text x="{x:.1f}" y="{height + 16}" font-size="9" text-anchor="middle"'
                f' class="date-tick">{days[i][5:]}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def curve_svg(curve: dict[str, Any] | None) -> str:
    """By onset (bars) and by report date (line) when onsets are recorded, else by report."""
    if not curve:
        return ""
    if curve.get("basis") == "onset" and curve.get("onset_local") is not None:
        report = [a + b for a, b in zip(curve["local"], curve["imported"], strict=True)]
        start = (
            curve["days"].index(curve["truncated_from"]) if curve.get("truncated_from") else None
        )
        return bars_svg(
            curve["onset_local"],
            curve["onset_imported"],
            line=report,
            shade_from=start,
            days=curve["days"],
        )
    return bars_svg(curve["local"], curve["imported"], days=curve["days"])


def render(request: Any, node: Any, b: Any) -> bytes:
    from weasyprint import HTML

    ctx = context_for(node, b.day, b)
    ctx["curve_svg"] = curve_svg(b.data.get("curve"))
    html = render_to_string("briefing/pdf.html", ctx, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
