"""Charts as inline SVG strings, for the HTML that WeasyPrint turns into the PDF report.

Why strings and not a plotting library: the report needs two small charts, WeasyPrint draws inline
``<svg>`` itself (text stays vector and searchable, fonts are the report's own), and a pure function
of its inputs is deterministic, so rendered HTML can be golden-tested.

WeasyPrint's SVG renderer is partial, so only plain presentation attributes are used: no CSS
classes, ``<style>``, filters, masks, foreignObject or external references, and text is positioned
with explicit baselines instead of ``dominant-baseline``. Every label comes from user data and is
XML-escaped; colours are checked to be ``#rrggbb`` because they go into attributes too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from assess.report.numbers import score_text

__all__ = ["RADAR_AXES", "Marker", "Series", "bar_chart", "em_width", "radar_chart", "shorten"]

RADAR_AXES = range(3, 13)  # a radar of fewer axes is no shape, of more one whose labels cannot be read

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_NO_LINE_START = set("，。、；：！？）》」』】,.;:!?)")
_NO_LINE_END = set("（《「『【(")
_GRID = "#d0d0d0"
_MUTED = "#666666"
_INK = "#222222"


def _check_colour(colour: str) -> str:
    if not _COLOUR.fullmatch(colour):
        raise ValueError(f"colour must be '#rrggbb', got {colour!r}")
    return colour


def _value(v: float | None) -> float | None:
    if v is not None and not math.isfinite(v):
        raise ValueError(f"chart values must be finite or None, got {v!r}")
    return v


@dataclass(frozen=True)
class Marker:
    """A reference value on a bar (award floor, cohort median, top quartile), so a score reads in context."""

    label: str
    value: float  # 0-100
    colour: str  # "#rrggbb"
    dashed: bool = False

    def __post_init__(self) -> None:
        _check_colour(self.colour)
        _value(self.value)


@dataclass(frozen=True)
class Series:
    """One polygon on a radar chart: 0-100 per axis, None where the theme could not be scored."""

    label: str
    values: Sequence[float | None]
    colour: str  # "#rrggbb"

    def __post_init__(self) -> None:
        _check_colour(self.colour)


def _n(x: float) -> str:
    """A coordinate rounded to 1 decimal, without '-0' or a trailing '.0', so output is stable."""
    v = round(x, 1)
    return f"{abs(v) if v == 0 else v:.1f}".removesuffix(".0")


def _clean(text: str) -> str:
    """Collapse whitespace and drop characters XML cannot hold (control characters, lone surrogates)."""
    bad = ("Cc", "Cs")
    kept = (c for c in text if c.isspace() or (unicodedata.category(c) not in bad and c not in "\ufffe\uffff"))
    return " ".join("".join(kept).split())


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch == "…"


def _em(text: str) -> float:
    """Estimated width in em: 1.0 per CJK character, 0.55 per other one (we cannot measure fonts here)."""
    return sum(1.0 if _wide(c) else 0.55 for c in text)


def _wrap(text: str, max_em: float, *, truncated: bool = False) -> list[str]:
    """One line if it fits, else two balanced lines: split at a space, or (CJK) between characters.

    A space between Chinese and English, or CJK punctuation, is preferred: that is where a label reads
    naturally. A CJK break is never made inside a Latin word. When the lines will be `truncated` to
    `max_em` anyway, the first line is filled so that only the end of the label is lost.
    """
    if _em(text) <= max_em:
        return [text]
    cuts: list[tuple[float, str, str]] = []  # (penalty in em, first line, second line)
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i + 1 : i + 2]
        if text[i] == " ":
            bilingual = bool(after) and _wide(before) != _wide(after)
            cuts.append((-3.0 if bilingual else 0.0, text[:i], text[i + 1 :]))
        elif _wide(before) or _wide(text[i]):  # right after CJK punctuation is the best place
            cuts.append((-1.0 if before in "、，；：" else 0.6, text[:i].rstrip(), text[i:]))
    cuts = [c for c in cuts if c[1] and c[2] and c[2][0] not in _NO_LINE_START and c[1][-1] not in _NO_LINE_END]
    if not cuts:
        return [text]

    def cost(cut: tuple[float, str, str]) -> float:
        width = max(_em(cut[1]), _em(cut[2]))
        return width + (cut[0] if cut[0] >= 0 or width <= max_em or not truncated else 0.0)

    best = min(cuts, key=cost)
    if truncated and max(_em(best[1]), _em(best[2])) > max_em:
        # The lines will be cut short anyway: fill the first one, so that only the end of the label is lost.
        best = max((c for c in cuts if _em(c[1]) <= max_em), key=lambda c: _em(c[1]) - c[0], default=best)
    return [best[1], best[2]]


def _fit(line: str, max_em: float) -> str:
    """Shorten a line with an ellipsis so it cannot run into the bars.

    CJK fonts centre "…" vertically (the Chinese convention), so Latin text gets "..." instead.
    """
    if _em(line) <= max_em:
        return line
    while line and _em(line) + 1.65 > max_em:
        line = line[:-1]
    line = line.rstrip()
    return line + ("…" if line and _wide(line[-1]) else "...")


def em_width(text: str) -> float:
    """Estimated width of `text` in em (1 per CJK character, 0.55 per other one)."""
    return _em(text)


def shorten(text: str, max_em: float) -> str:
    """`text` on one line of at most `max_em` (estimated), cut short with an ellipsis beyond that."""
    return _fit(_clean(text), max_em)


def _text(x: float, y: float, text: str, *, size: float, anchor: str = "start", fill: str = _INK) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 2"' if dashed else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" '
        f'stroke-width="{_n(width)}"{dash}/>'
    )


_LegendItem = tuple[str, str, str, bool]  # label, colour, swatch kind (tick/area/line), dashed


def _legend(items: Sequence[_LegendItem], left: float, top: float, width: float) -> tuple[list[str], float]:
    """Lay out (label, colour, swatch kind, dashed) items in centred rows; return parts and the height used."""
    fs, row_h, gap = 10.0, 16.0, 14.0
    rows: list[list[tuple[str, str, str, bool, float]]] = [[]]
    used = 0.0
    for label, colour, kind, dashed in items:
        w = 18.0 + _em(label) * fs
        if rows[-1] and used + gap + w > width:
            rows.append([])
            used = 0.0
        used += (gap if rows[-1] else 0.0) + w
        rows[-1].append((label, colour, kind, dashed, w))
    parts: list[str] = []
    for r, row in enumerate(rows):
        x = left + (width - sum(i[4] for i in row) - gap * (len(row) - 1)) / 2
        y = top + r * row_h + 8
        for label, colour, kind, dashed, w in row:
            if kind == "tick":
                parts.append(_line(x + 6, y - 6, x + 6, y + 6, colour, 2, dashed))
            elif kind == "area":
                parts.append(
                    f'<rect x="{_n(x)}" y="{_n(y - 5)}" width="14" height="10" fill="{colour}" '
                    f'fill-opacity="0.18" stroke="{colour}" stroke-width="1.5"/>'
                )
            else:
                parts.append(_line(x, y, x + 14, y, colour, 2, dashed))
            parts.append(_text(x + 18, y + 0.35 * fs, label, size=fs))
            x += w + gap
    return parts, len(rows) * row_h if items else 0.0


def _svg(left: float, top: float, width: float, height: float, title: str, font_family: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" role="img" '
        f'font-family="{escape(_clean(font_family))}"><title>{escape(_clean(title))}</title>{"".join(body)}</svg>'
    )


def radar_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    size: int = 340,
    rings: Sequence[int] = (25, 50, 75, 100),
    font_family: str = "Noto Sans SC",
    title: str | None = None,
) -> Markup:
    """Theme profile as a radar: the first series filled (the firm), the others outlined and dashed (references).

    `size` is the SVG's width in px, so a caller that sets it to the width of its box (CSS px) gets text at
    its nominal size (11px labels) whatever the labels are: the rings shrink to leave the labels room, down
    to a radius of 18% of the width; labels too long even then are cut short with an ellipsis. Labels that
    would overlap move outwards. The height follows from the labels and the legend (one entry per series).
    Values are clamped to 0-100; None is drawn at the centre with a hollow marker, so a gap stays visible.
    """
    n = len(axes)
    if n not in RADAR_AXES:
        raise ValueError(f"a radar chart needs {RADAR_AXES[0]} to {RADAR_AXES[-1]} axes, got {n}")
    if any(len(s.values) != n for s in series):
        raise ValueError("every series needs one value per axis")
    if size < 120 or any(not 0 < r <= 100 for r in rings):
        raise ValueError("size must be at least 120 and rings within 1-100")
    fs, gap, half = 11.0, 10.0, size / 2
    lh = fs * 1.3
    dirs = [(math.cos(a), math.sin(a)) for a in (2 * math.pi * i / n - math.pi / 2 for i in range(n))]
    # Labels first: the rings get whatever room the labels leave. Side labels wrap narrower than
    # top/bottom ones because their width is what pushes the rings in.
    anchors = ["start" if ux > 0.2 else "end" if ux < -0.2 else "middle" for ux, _ in dirs]
    wrapped = [_wrap(_clean(a), 12.0 if anchor == "middle" else 7.0) for a, anchor in zip(axes, anchors, strict=True)]

    def room(r: float, i: int) -> float:  # horizontal space left for label i outside a ring of radius r
        return (half - 4 - (r + gap) * abs(dirs[i][0])) * (2 if anchors[i] == "middle" else 1)

    def fits(r: float, i: int) -> bool:
        return max(_em(line) for line in wrapped[i]) * fs <= room(r, i)

    # The rings take what the labels leave, but keep at least 18% of the width: past that, labels are
    # cut short (with an ellipsis) so the SVG stays `size` wide and its text stays at its nominal size.
    radius = half - 4
    while radius > size * 0.18 and not all(fits(radius, i) for i in range(n)):
        radius -= 1
    for i in range(n):
        limit = room(radius, i)
        if anchors[i] == "middle":  # a top/bottom label must also keep clear of the side labels in its half
            beside = [
                abs(ux) for (ux, uy), a in zip(dirs, anchors, strict=True) if a != "middle" and uy * dirs[i][1] > 0
            ]
            limit = min(limit, 2 * ((radius + gap) * min(beside, default=1.0) - 8))
        if max(_em(line) for line in wrapped[i]) * fs > limit:
            max_em = min(12.0 if anchors[i] == "middle" else 7.0, limit / fs)
            wrapped[i] = [_fit(line, max_em) for line in _wrap(_clean(axes[i]), max_em, truncated=True)]
    labels = [
        (lines, max(_em(line) for line in lines) * fs, anchor) for lines, anchor in zip(wrapped, anchors, strict=True)
    ]

    def at(value: float, i: int) -> tuple[float, float]:
        r = radius * min(max(value, 0.0), 100.0) / 100
        return r * dirs[i][0], r * dirs[i][1]

    def points(value: list[float]) -> str:
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in (at(v, i) for i, v in enumerate(value)))

    body: list[str] = []
    for ring in sorted(set(rings)):
        stroke = "#a0a0a0" if ring == max(rings) else _GRID
        body.append(f'<polygon points="{points([ring] * n)}" fill="none" stroke="{stroke}" stroke-width="0.8"/>')
    body += [_line(0, 0, *at(100, i), _GRID, 0.8) for i in range(n)]
    body += [_text(3, -radius * r / 100 + 9, str(r), size=8, fill="#888888") for r in sorted(set(rings))]
    for k, s in enumerate(series):
        vals = [_value(v) for v in s.values]
        pts = points([0.0 if v is None else v for v in vals])
        if k == 0:
            body.append(
                f'<polygon points="{pts}" fill="{s.colour}" fill-opacity="0.18" stroke="{s.colour}" stroke-width="2"/>'
            )
        else:
            body.append(
                f'<polygon points="{pts}" fill="none" stroke="{s.colour}" stroke-width="1.5" stroke-dasharray="5 3"/>'
            )
        for i, v in enumerate(vals):
            x, y = at(0.0 if v is None else v, i)
            if v is None:
                body.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="#ffffff" stroke="{s.colour}" stroke-width="1.5"/>'
                )
            elif k == 0:
                body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{s.colour}"/>')
    # Axis labels sit outside the outer ring: left/right of it at the sides, above/below it at top/bottom.
    # Placed from the equator outwards; a label that would overlap one already placed moves further out.
    lo_x, hi_x = -half, half
    lo_y, hi_y = min(y for _, y in dirs) * radius, max(y for _, y in dirs) * radius
    boxes: dict[int, tuple[float, float, float, float]] = {}  # axis -> left, right, top, bottom
    for i in sorted(range(n), key=lambda i: (abs(dirs[i][1]), i)):
        (ux, uy), (lines, w, anchor) = dirs[i], labels[i]
        h, px, py = len(lines) * lh, (radius + gap) * ux, (radius + gap) * uy
        left = px if anchor == "start" else px - w if anchor == "end" else px - w / 2
        top = py - h / 2 + uy * h / 2
        while clash := [b for b in boxes.values() if left < b[1] and b[0] < left + w and top < b[3] and b[2] < top + h]:
            top = max(b[3] for b in clash) + 1 if uy >= 0 else min(b[2] for b in clash) - h - 1
        boxes[i] = (left, left + w, top, top + h)
        lo_x, hi_x, lo_y, hi_y = min(lo_x, left - 4), max(hi_x, left + w + 4), min(lo_y, top), max(hi_y, top + h)
    for i, (lines, _, anchor) in enumerate(labels):
        px, top = (radius + gap) * dirs[i][0], boxes[i][2]
        body += [_text(px, top + j * lh + 0.95 * fs, line, size=fs, anchor=anchor) for j, line in enumerate(lines)]
    half = max(-lo_x, hi_x)
    items = [(_clean(s.label), s.colour, "area" if k == 0 else "line", k > 0) for k, s in enumerate(series)]
    legend, legend_h = _legend(items, -half, hi_y + 10, 2 * half)
    body += legend
    name = title if title is not None else "Radar chart: " + ", ".join(axes)
    extent = hi_y + 10 + legend_h if legend else hi_y
    return _svg(-half, lo_y - 4, 2 * half, extent - lo_y + 8, name, font_family, body)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    markers: Sequence[Sequence[Marker]] = (),
    width: int = 520,
    bar_colour: str = "#1f5fa8",
    below_colour: str = "#c0392b",
    floors: Sequence[float | None] | None = None,
    font_family: str = "Noto Sans SC",
    value_format: str | None = None,
    floor_label: str = "floor",
    title: str | None = None,
) -> Markup:
    """Horizontal 0-100 bars, one row per label, with the award floor and reference markers on each row.

    A bar below its floor takes `below_colour`, so a failed floor is seen before it is read. Markers
    (cohort median, top quartile…) are short ticks in their colour, listed once each in a legend under the
    chart together with `floor_label`. None shows "—" and no bar: unscored is not zero. Values are clamped
    to 0-100 for drawing but printed as given: with `value_format`, or else as whole points rounded half
    up, down when that would reach the row's floor the value misses (59.52, floor 60: "59"). `width` is
    the SVG's width in px: set it to the width of its box (CSS px) and the text keeps its nominal size.
    Labels take at most 40% of it, on up to 2 lines, cut short with an ellipsis beyond that. The height
    grows with the number of rows.
    """
    rows = len(labels)
    if width < 200:
        raise ValueError("a bar chart needs a width of at least 200 px")
    if rows == 0 or len(values) != rows:
        raise ValueError("a bar chart needs at least one label and one value per label")
    if (markers and len(markers) != rows) or (floors is not None and len(floors) != rows):
        raise ValueError("markers and floors need one entry per label")
    _check_colour(bar_colour)
    _check_colour(below_colour)
    fs, pad = 11.0, 4.0
    max_em = width * 0.4 / fs
    wrapped = [[_fit(line, max_em) for line in _wrap(_clean(label), max_em, truncated=True)] for label in labels]
    label_w = max(_em(line) for lines in wrapped for line in lines) * fs
    x0, x1 = pad + label_w + 8, width - pad - 36.0
    row_h = 32.0 if any(len(lines) > 1 for lines in wrapped) else 24.0
    bar_h = 14.0

    def x(v: float) -> float:
        return x0 + (x1 - x0) * min(max(v, 0.0), 100.0) / 100

    bottom = rows * row_h
    body = [_line(x(g), 0, x(g), bottom, _GRID, 0.8) for g in (0, 25, 50, 75, 100)]
    body += [_text(x(g), bottom + 12, str(g), size=9, anchor="middle", fill=_MUTED) for g in (0, 25, 50, 75, 100)]
    legend_items: dict[str, _LegendItem] = {}
    has_floor = False
    for r in range(rows):
        mid = r * row_h + row_h / 2
        top_y = mid - bar_h / 2
        value = _value(values[r])
        floor = _value(floors[r]) if floors is not None else None
        lines = wrapped[r]
        first = mid - (len(lines) - 1) * fs * 0.6 + 0.35 * fs
        body += [_text(x0 - 8, first + j * fs * 1.2, line, size=fs, anchor="end") for j, line in enumerate(lines)]
        ticks = sorted(x(t) for t in [*(m.value for m in (markers[r] if markers else ())), floor] if t is not None)
        if value is not None:
            colour = below_colour if floor is not None and value < floor else bar_colour
            body.append(
                f'<rect x="{_n(x0)}" y="{_n(top_y)}" width="{_n(x(value) - x0)}" height="{_n(bar_h)}" fill="{colour}"/>'
            )
        for m in markers[r] if markers else ():
            body.append(_line(x(m.value), top_y - 4, x(m.value), top_y + bar_h + 4, m.colour, 2, m.dashed))
            legend_items.setdefault(_clean(m.label), (_clean(m.label), m.colour, "tick", m.dashed))
        if floor is not None:
            body.append(_line(x(floor), r * row_h + 1, x(floor), (r + 1) * row_h - 1, _INK, 2.5))
            has_floor = True
        # The value goes at the end of the bar, but past any tick it would sit on (a bar just under its floor).
        if value is None:
            text = "—"
        elif value_format is None:  # whole points, never rounded up to a floor the value misses
            text = score_text(value, 0, [floor])
        else:
            text = value_format.format(value)
        start = x0 + 4 if value is None else x(value) + 4
        for t in ticks:
            if start - 3 <= t <= start + _em(text) * 10 + 3:
                start = t + 4
        body.append(_text(start, mid + 0.35 * fs, text, size=10, fill=_MUTED if value is None else _INK))
    items = list(legend_items.values()) + ([(_clean(floor_label), _INK, "tick", False)] if has_floor else [])
    legend, legend_h = _legend(items, 0, bottom + 22, width)
    body += legend
    name = title if title is not None else "Bar chart: " + ", ".join(labels)
    extent = bottom + 22 + legend_h if legend else bottom + 16
    return _svg(0, -pad, width, extent + 2 * pad, name, font_family, body)
