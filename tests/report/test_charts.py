"""The SVG charts: well-formed, geometrically right, escaped, deterministic, and accepted by WeasyPrint."""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup, escape

from assess.report.charts import Marker, Series, bar_chart, radar_chart

NS = "{http://www.w3.org/2000/svg}"
AXES = ["品牌建设 Brand", "质量管理 Quality management", "追溯 Traceability", "技术性贸易措施 TBT", "质量信用 Credit"]
FIRM = "#1f5fa8"
FLOOR = "#c0392b"
MEDIAN = Marker("Cohort median 中位数", 55, "#7f8c8d")
TOP = Marker("Top quartile 前四分之一", 78, "#27ae60", dashed=True)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{NS}svg"
    return root


def points(polygon: ET.Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in polygon.attrib["points"].split())]


def polygons(root: ET.Element, stroke: str) -> list[ET.Element]:
    return [p for p in root.iter(f"{NS}polygon") if p.get("stroke") == stroke]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    left, top, width, height = (float(v) for v in root.attrib["viewBox"].split())
    return left, top, left + width, top + height


def estimated_extent(text: ET.Element) -> tuple[float, float]:
    """Horizontal extent of a <text> by the same rule the charts use (1 em CJK, 0.55 em otherwise)."""
    em = sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") or c == "…" else 0.55 for c in text.text or "")
    width, x = em * float(text.attrib["font-size"]), float(text.attrib["x"])
    anchor = text.get("text-anchor", "start")
    return {"start": (x, x + width), "end": (x - width, x), "middle": (x - width / 2, x + width / 2)}[anchor]


# --- radar -------------------------------------------------------------------------------------------------------


def test_radar_is_well_formed_markup_with_a_title() -> None:
    svg = radar_chart(AXES, [Series("Firm", [80, 60, 40, 20, 90], FIRM)], title="Theme profile 主题概况")
    assert isinstance(svg, Markup)
    assert escape(svg) == svg  # Jinja2 autoescaping leaves it alone
    root = parse(svg)
    title = root.find(f"{NS}title")
    assert title is not None and title.text == "Theme profile 主题概况"


def test_radar_polygons_have_one_point_per_axis() -> None:
    svg = radar_chart(AXES, [Series("Firm", [80, 60, 40, 20, 90], FIRM), Series("Floor", [60] * 5, FLOOR)])
    root = parse(svg)
    ring_polygons = [
        p for p in root.iter(f"{NS}polygon") if p.get("fill") == "none" and p.get("stroke") not in (FLOOR,)
    ]
    assert len(ring_polygons) == 4  # rings 25/50/75/100
    assert all(len(points(p)) == len(AXES) for p in root.iter(f"{NS}polygon"))
    firm, floor = polygons(root, FIRM)[0], polygons(root, FLOOR)[0]
    assert firm.get("fill") == FIRM and float(firm.attrib["fill-opacity"]) < 0.5  # the firm is filled, lightly
    assert floor.get("fill") == "none"  # references are outlined only


def outer_ring(root: ET.Element) -> list[tuple[float, float]]:
    rings = [p for p in root.iter(f"{NS}polygon") if p.get("fill") == "none" and p.get("stroke-dasharray") is None]
    return points(min(rings, key=lambda p: points(p)[0][1]))  # the first vertex points up: the outer one is highest


def test_radar_100_is_on_the_outer_ring_and_0_at_the_centre() -> None:
    root = parse(radar_chart(AXES, [Series("Full", [100] * 5, FIRM), Series("Empty", [0] * 5, FLOOR)]))
    outer = outer_ring(root)
    radius = math.hypot(*outer[0])
    assert radius > 50
    assert all(math.isclose(math.hypot(x, y), radius, abs_tol=0.15) for x, y in outer)
    assert points(polygons(root, FIRM)[0]) == outer
    assert points(polygons(root, FLOOR)[0]) == [(0.0, 0.0)] * 5
    assert outer[0][0] == 0 and outer[0][1] < 0  # the first axis points straight up


def test_radar_half_value_lands_half_way_and_out_of_range_is_clamped() -> None:
    root = parse(radar_chart(AXES, [Series("Firm", [50, 150, -10, 50, 50], FIRM)]))
    pts, radius = points(polygons(root, FIRM)[0]), math.hypot(*outer_ring(root)[0])
    assert math.isclose(math.hypot(*pts[0]), radius / 2, abs_tol=0.15)
    assert math.isclose(math.hypot(*pts[1]), radius, abs_tol=0.15)
    assert pts[2] == (0.0, 0.0)


def test_radar_is_as_wide_as_asked_and_rings_give_way_to_labels() -> None:
    short = parse(radar_chart(["A", "B", "C", "D", "E", "F"], [], size=300))
    long = parse(radar_chart(["出口质量绩效", "自主品牌与知识产权", "C", "质量诚信与主体责任", "E", "F"], [], size=300))
    assert short.attrib["width"] == long.attrib["width"] == "300"
    assert math.hypot(*outer_ring(long)[0]) < math.hypot(*outer_ring(short)[0])


def test_radar_none_is_drawn_at_the_centre_with_a_hollow_marker() -> None:
    root = parse(radar_chart(AXES, [Series("Firm", [80, None, 40, 20, 90], FIRM)]))
    assert points(polygons(root, FIRM)[0])[1] == (0.0, 0.0)
    hollow = [c for c in root.iter(f"{NS}circle") if c.get("fill") == "#ffffff"]
    assert len(hollow) == 1
    assert (hollow[0].get("cx"), hollow[0].get("cy"), hollow[0].get("stroke")) == ("0", "0", FIRM)


def test_radar_axis_count_and_series_length_are_checked() -> None:
    with pytest.raises(ValueError, match="3 to 12 axes"):
        radar_chart(["a", "b"], [])
    with pytest.raises(ValueError, match="3 to 12 axes"):
        radar_chart([str(i) for i in range(13)], [])
    with pytest.raises(ValueError, match="one value per axis"):
        radar_chart(AXES, [Series("Firm", [1, 2, 3], FIRM)])
    with pytest.raises(ValueError, match="finite"):
        radar_chart(AXES, [Series("Firm", [math.nan, 1, 2, 3, 4], FIRM)])


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 8, 12])
def test_radar_long_labels_fit_inside_the_view_box(n: int) -> None:
    latin = "Quality credit and integrity"  # 28 characters
    cjk = "国外技术性贸易措施应对准备情"  # 14 characters
    axes = [latin if i % 2 else cjk for i in range(n)]
    root = parse(radar_chart(axes, [Series("企业 Firm", [50] * n, FIRM), Series("Floor 门槛", [60] * n, FLOOR)]))
    left, top, right, bottom = view_box(root)
    label_texts = [t for t in root.iter(f"{NS}text") if t.get("font-size") != "8"]
    for text in label_texts:
        x0, x1 = estimated_extent(text)
        y = float(text.attrib["y"])
        assert left <= x0 and x1 <= right, text.text
        assert top <= y - 0.8 * float(text.attrib["font-size"]) and y + 3 <= bottom, text.text
    assert {"国外技术性贸易", "措施应对准备情"} <= set(texts(root))  # CJK wrapped at the middle
    assert {"Quality credit", "and integrity"} <= set(texts(root))  # Latin wrapped at a space, not cut short


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
@pytest.mark.parametrize("size", [300, 340])
def test_radar_labels_do_not_overlap_each_other(n: int, size: int) -> None:
    axes = ["国外技术性贸易措施应对准备情" if i % 3 == 0 else "Quality credit and integrity" for i in range(n)]
    root = parse(radar_chart(axes, [], size=size))
    boxes = []
    for text in root.iter(f"{NS}text"):
        if text.get("font-size") == "11":
            x0, x1 = estimated_extent(text)
            y = float(text.attrib["y"])
            boxes.append((x0, x1, y - 0.8 * 11, y + 0.25 * 11))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], (a, b)


def test_radar_labels_too_long_for_the_width_are_cut_short_not_clipped() -> None:
    huge = "Readiness for foreign technical barriers to trade, certification and market access"
    root = parse(radar_chart([huge, huge, "C", huge, "E"], [], size=300))
    left, _, right, _ = view_box(root)
    assert (left, right, root.attrib["width"]) == (-150, 150, "300")
    labels = [t for t in root.iter(f"{NS}text") if t.get("font-size") == "11"]
    assert any((t.text or "").endswith("...") for t in labels)
    assert all(left <= estimated_extent(t)[0] and estimated_extent(t)[1] <= right for t in labels)
    assert math.hypot(*outer_ring(root)[0]) >= 300 * 0.18 - 1


def test_radar_bilingual_label_breaks_between_the_languages() -> None:
    root = parse(radar_chart(["质量管理体系与认证 Quality management system", "B", "C"], []))
    assert {"质量管理体系与认证", "Quality management system"} <= set(texts(root))


# --- bar -----------------------------------------------------------------------------------------------------------


def bars(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}rect"))


def test_bar_below_floor_uses_below_colour() -> None:
    svg = bar_chart(["A", "B", "C", "D"], [40, 60, 70, 10], floors=[50, 60, None, 5])
    fills = [r.get("fill") for r in bars(parse(svg))]
    assert fills == ["#c0392b", "#1f5fa8", "#1f5fa8", "#1f5fa8"]  # equal to the floor is not below it


def test_bar_widths_follow_the_values() -> None:
    root = parse(bar_chart(["A", "B", "C"], [0, 50, 100]))
    widths = [float(r.attrib["width"]) for r in bars(root)]
    assert widths[0] == 0 and math.isclose(widths[1] * 2, widths[2], abs_tol=0.2)
    assert {"0", "50", "100"} <= set(texts(root))


def test_bar_none_shows_a_dash_and_no_bar() -> None:
    root = parse(bar_chart(["A", "B"], [None, 70], floors=[60, 60]))
    assert len(bars(root)) == 1
    assert "—" in texts(root)


def test_bar_markers_and_legend() -> None:
    svg = bar_chart(
        ["A", "B", "C"],
        [40, 80, 65],
        markers=[[MEDIAN, TOP], [MEDIAN, TOP], []],
        floors=[60, 60, 60],
        floor_label="门槛 floor",
    )
    root = parse(svg)
    lines = list(root.iter(f"{NS}line"))
    assert len([ln for ln in lines if ln.get("stroke") == MEDIAN.colour]) == 2 + 1  # two rows plus the legend
    assert all(ln.get("stroke-dasharray") for ln in lines if ln.get("stroke") == TOP.colour)
    labels = texts(root)
    assert labels.count(MEDIAN.label) == 1 and labels.count(TOP.label) == 1 and labels.count("门槛 floor") == 1
    assert labels.index(MEDIAN.label) < labels.index(TOP.label) < labels.index("门槛 floor")


def test_bar_without_markers_or_floors_has_no_legend() -> None:
    root = parse(bar_chart(["A"], [50]))
    assert texts(root) == ["0", "25", "50", "75", "100", "A", "50"]


def test_bar_value_never_reads_as_reaching_a_floor_it_misses() -> None:
    """59.52 against a floor of 60 is a red bar: its value reads 59, not 60; halves otherwise round up."""
    root = parse(bar_chart(["A", "B", "C"], [59.52, 62.5, 60.5], floors=[60, 50, 60]))
    values = [t for t in texts(root)[5:] if t not in ("A", "B", "C", "floor")]
    assert values == ["59", "63", "61"]


def test_bar_value_moves_off_a_tick_it_would_sit_on() -> None:
    root = parse(bar_chart(["A"], [57], floors=[60]))
    floor_x = float(next(ln for ln in root.iter(f"{NS}line") if ln.get("stroke") == "#222222").attrib["x1"])
    value = next(t for t in root.iter(f"{NS}text") if t.text == "57")
    assert float(value.attrib["x"]) > floor_x


def test_bar_height_grows_with_rows_and_long_labels_wrap_without_overlapping_bars() -> None:
    short = parse(bar_chart(["A", "B", "C"], [1, 2, 3]))
    long_label = "质量管理体系与认证 Quality management system and certification of the whole firm"
    tall = parse(bar_chart(["A", "B", "C", "D", "E", "F"], [1, 2, 3, 4, 5, 6]))
    wrapped = parse(bar_chart([long_label, "B"], [50, 60]))
    assert float(tall.attrib["height"]) > float(short.attrib["height"])
    label_texts = [t for t in wrapped.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert len(label_texts) == 3  # two lines for the long label, one for "B"
    bar_left = float(bars(wrapped)[0].attrib["x"])
    for text in label_texts:
        x0, x1 = estimated_extent(text)
        assert x0 >= 0 and x1 < bar_left


def test_bar_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        bar_chart([], [])
    with pytest.raises(ValueError):
        bar_chart(["A", "B"], [1])
    with pytest.raises(ValueError):
        bar_chart(["A"], [1], floors=[1, 2])
    with pytest.raises(ValueError):
        bar_chart(["A"], [1], markers=[[], []])
    with pytest.raises(ValueError, match="#rrggbb"):
        bar_chart(["A"], [1], bar_colour="red")
    with pytest.raises(ValueError, match="width"):
        bar_chart(["A"], [1], width=120)


# --- both ----------------------------------------------------------------------------------------------------------


HOSTILE = "<script>alert(\"x\")</script> & Co 'quoted'"


def test_user_text_is_escaped() -> None:
    radar = radar_chart(
        [HOSTILE, "B", "C"], [Series(HOSTILE, [1, 2, 3], FIRM)], title=HOSTILE, font_family='X" onload="y'
    )
    bar = bar_chart([HOSTILE], [1], markers=[[Marker(HOSTILE, 50, "#000000")]], floor_label=HOSTILE)
    for svg in (radar, bar):
        assert "<script>" not in svg and "& Co" not in svg
        root = parse(svg)  # well-formed despite the input
        assert "onload" not in root.attrib
        assert any("<script>" in t for t in texts(root))  # shown literally, as text


def test_colours_must_be_hex() -> None:
    with pytest.raises(ValueError, match="#rrggbb"):
        Series("x", [1, 2, 3], '#000" onload="x')
    with pytest.raises(ValueError, match="#rrggbb"):
        Marker("x", 1, "blue")


def test_characters_xml_cannot_hold_are_dropped() -> None:
    label = "A\x00B\x1bC\nD\ud800"
    root = parse(bar_chart([label], [1]))
    assert "ABC D" in texts(root)
    parse(radar_chart([label, "b", "c"], [Series(label, [1, 2, 3], FIRM)]))


GEOMETRY = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height", "points", "viewBox"}


def test_output_is_deterministic_and_rounded() -> None:
    def make() -> tuple[str, str]:
        return (
            str(radar_chart(AXES, [Series("Firm", [81.234, None, 33.333, 0, 100], FIRM)])),
            str(bar_chart(AXES, [81.234, None, 33.333, 0, 100], markers=[[MEDIAN]] * 5, floors=[60] * 5)),
        )

    first = make()
    assert first == make()
    for svg in first:
        for element in parse(svg).iter():
            for name in GEOMETRY.intersection(element.attrib):
                for number in re.findall(r"-?\d+(?:\.\d+)?", element.attrib[name]):
                    assert re.fullmatch(r"-?\d+(\.\d)?", number) and number != "-0", (name, number)


def test_weasyprint_accepts_the_charts() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    radar = radar_chart(AXES, [Series("Firm 企业", [80, None, 40, 20, 90], FIRM), Series("Floor", [60] * 5, FLOOR)])
    bar = bar_chart(AXES, [80, None, 40, 20, 90], markers=[[MEDIAN, TOP]] * 5, floors=[60] * 5)
    html = f"<!doctype html><html><body><h1>Charts</h1>{radar}{bar}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
