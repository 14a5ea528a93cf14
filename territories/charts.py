"""Inline SVG bar chart of the IFN (commune vs département and national medians).

No inline style: sizes are SVG attributes, colours come from CSS classes (static/css/territories.css). The chart is
decorative for assistive technologies (aria-hidden): the same values are in the table that follows it.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from territories.formatting import decimal

# Narrow on purpose (about 420 units): it stays readable when scaled down to a 360 px phone screen.
WIDTH = 420
LABEL_X = 124
BAR_MAX = 260
BAR_HEIGHT = 16
ROW_GAP = 4
SERIES = [
    ("value", "Commune", "chart-commune"),
    ("dep_median", "Départ. (médiane)", "chart-dep"),
    ("nat_median", "France (médiane)", "chart-nat"),
]


def _number(value: float) -> str:
    return decimal(value)


def ifn_chart(lines) -> str:
    if not lines:
        return ""
    parts = []
    y = 0
    for line in lines:
        y += 26
        parts.append(format_html('<text class="chart-title" x="0" y="{}">{}</text>', y - 6, line.label))
        for attr, label, css in SERIES:
            value = getattr(line, attr)
            parts.append(format_html('<text class="chart-label" x="0" y="{}">{}</text>', y + BAR_HEIGHT - 3, label))
            if value is None:
                parts.append(
                    format_html(
                        '<text class="chart-missing" x="{}" y="{}">donnée absente</text>', LABEL_X, y + BAR_HEIGHT - 3
                    )
                )
            else:
                width = max(1, round(BAR_MAX * min(value, 10) / 10))
                parts.append(
                    format_html(
                        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>',
                        css,
                        LABEL_X,
                        y,
                        width,
                        BAR_HEIGHT,
                    )
                )
                parts.append(
                    format_html(
                        '<text class="chart-value" x="{}" y="{}">{}</text>',
                        LABEL_X + width + 6,
                        y + BAR_HEIGHT - 3,
                        _number(value),
                    )
                )
            y += BAR_HEIGHT + ROW_GAP
        y += 10
    # scale ticks 0, 5, 10
    for tick in (0, 5, 10):
        x = LABEL_X + BAR_MAX * tick // 10
        parts.append(format_html('<line class="chart-axis" x1="{}" x2="{}" y1="0" y2="{}"></line>', x, x, y))
        parts.append(format_html('<text class="chart-tick" x="{}" y="{}">{}</text>', x, y + 14, tick))
    height = y + 20
    body = mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is built with format_html
    return format_html(
        '<svg class="ifn-chart" viewBox="0 0 {} {}" width="{}" height="{}" aria-hidden="true" focusable="false">'
        "{}</svg>",
        WIDTH,
        height,
        WIDTH,
        height,
        body,
    )
