"""Template overrides, broken templates, labels and brands."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from assess.models.criteria import CriteriaSet
from assess.models.result import ScoreResult
from assess.report.brand import load_brand
from assess.report.fonts import check_rendering_setup
from assess.report.render import ReportOptions, render_report, report_html
from assess.report.templating import TemplateError
from tests.report.conftest import pdf_text


def override(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return folder


def test_override_one_template_and_keep_the_rest(criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path) -> None:
    folder = override(
        tmp_path,
        "report/sections/method.html.j2",
        '<section id="method"><h1 class="section-title">Our own method page</h1></section>\n',
    )
    pdf = render_report(criteria, strong, ReportOptions(mode="en", templates=folder))
    text = pdf_text(pdf, tmp_path)
    assert "Our own method page" in text
    assert "Each applicable question earns points" not in text
    assert "Executive summary" in text  # built-in sections still there


def test_extend_a_builtin_template_with_the_default_prefix(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path
) -> None:
    folder = override(
        tmp_path,
        "report/report.html.j2",
        '{% extends "default:report/report.html.j2" %}{% block appendix %}{% endblock %}',
    )
    html = report_html(criteria, strong, ReportOptions(mode="en", templates=folder))
    assert 'id="appendix"' not in html and 'id="summary"' in html


def test_labels_can_be_overridden(criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path) -> None:
    folder = override(tmp_path, "labels.yaml", "summary: {zh: 摘要, en: At a glance}\n")
    html = report_html(criteria, strong, ReportOptions(mode="en", templates=folder))
    assert "At a glance" in html and "Improvement roadmap" in html


def test_broken_template_names_file_and_line(criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path) -> None:
    folder = override(tmp_path, "report/sections/summary.html.j2", "<p>fine</p>\n<p>{% if %}</p>\n")
    with pytest.raises(TemplateError) as info:
        report_html(criteria, strong, ReportOptions(templates=folder))
    problem = str(info.value.problems[0])
    assert "summary.html.j2:2" in problem


def test_template_using_a_missing_field_is_reported(criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path) -> None:
    folder = override(tmp_path, "report/sections/method.html.j2", "<p>{{ r.no_such_field }}</p>")
    with pytest.raises(TemplateError, match="lacks"):
        report_html(criteria, strong, ReportOptions(templates=folder))


def test_brand_name_colour_logo_and_footer(criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path) -> None:
    Image.new("RGB", (120, 40), "#aa3300").save(tmp_path / "logo.png")
    brand_file = tmp_path / "brand.yaml"
    brand_file.write_text(
        "name: 甬信质量咨询 Yongxin Quality Consulting\nlogo: logo.png\nprimary_colour: '#aa3300'\n"
        "contact: hello@example.invalid\nfooter: Confidential — prepared for the client\n",
        encoding="utf-8",
    )
    brand = load_brand(brand_file)
    options = ReportOptions(mode="en", brand=brand)
    html = report_html(criteria, strong, options, check_rendering_setup())
    assert "--primary: #aa3300" in html and (tmp_path / "logo.png").as_uri() in html
    pdf = render_report(criteria, strong, options)
    text = pdf_text(pdf, tmp_path)
    assert "Yongxin Quality Consulting" in text
    assert "Confidential — prepared for the client" in text
    for page in text.split("\f")[1:-1]:  # the footer reaches every page after the cover, bottom-left
        assert [line for line in page.splitlines() if line.strip()][-1].strip().startswith("Confidential — prepared")
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("primary_colour: red\n", "primary_colour"),
        ("logo: ../secret.png\n", "the logo must lie in the brand file's folder"),
        ("logo: missing.png\n", "no image file at missing.png"),
        ("colour: '#000000'\n", "unknown key 'colour'"),
    ],
)
def test_bad_brand_files(tmp_path: Path, content: str, message: str) -> None:
    from assess.errors import UserError

    path = tmp_path / "brand.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_brand(path)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("logo.png", b"%PDF-1.7 not a picture", False),
        ("logo.jpg", b"<html>a saved web page</html>", False),
        ("logo.svg", b"\xef\xbb\xbf<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>", True),
        ("logo.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", True),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00", True),
    ],
)
def test_a_logo_must_be_an_image_inside_not_only_by_name(
    tmp_path: Path, name: str, content: bytes, accepted: bool
) -> None:
    from assess.errors import UserError

    (tmp_path / name).write_bytes(content)
    (tmp_path / "brand.yaml").write_text(f"logo: {name}\n", encoding="utf-8")
    if accepted:
        assert load_brand(tmp_path / "brand.yaml").logo == name
        return
    with pytest.raises(UserError) as info:
        load_brand(tmp_path / "brand.yaml")
    assert f"{name} is not a PNG, JPEG, SVG, GIF or WebP image" in str(info.value)


def test_bilingual_markup_stays_cheap_to_render(criteria: CriteriaSet, strong: ScoreResult) -> None:
    """Bilingual text is bare Chinese plus one English span: no <span class="zh"> around the Chinese and no
    lang attribute below <html>. Both made WeasyPrint ~12 % slower (a lang attribute gives each element a
    style of its own, and each element costs seven computed styles). Column widths sit on the header cells."""
    html = report_html(criteria, strong, ReportOptions(mode="bilingual"))
    body = html[html.index("<body") :]
    assert 'class="zh"' not in body and "lang=" not in body
    assert "<col" not in body
    assert "主题得分雷达图" in body and '<span class="en">Theme score radar</span>' in body
    assert '<span class="en-inline">Contents</span>' in body  # inline English after the Chinese
    for mode in ("zh", "en"):
        single = report_html(criteria, strong, ReportOptions(mode=mode))
        assert 'class="en' not in single[single.index("<body") :]


# --- what a consultant is told about a brand file, a labels file or a template: where, what to do, in zh too --------


def _brand_problem(tmp_path: Path, content: str, summary: str = "brand.yaml 有问题") -> tuple[str, str]:
    from assess.errors import UserError

    path = tmp_path / "brand.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_brand(path)
    [problem] = info.value.problems
    assert info.value.summary_in("zh") == summary
    return str(problem), problem.shown("zh")


def test_a_logo_problem_names_the_line_and_says_what_to_do_in_both_languages(tmp_path: Path) -> None:
    Image.new("RGB", (10, 10)).save(tmp_path / "mark.png")
    english, chinese = _brand_problem(tmp_path, "name: Acme\nlogo: logo.png\n")
    images = "the images in the brand file's folder are: mark.png"
    assert english == f"brand.yaml:2: logo: no image file at logo.png; {images}"
    assert chinese.startswith("brand.yaml:2: logo: logo.png 处没有图片文件")
    english, chinese = _brand_problem(tmp_path, "name: Acme\n\nlogo: ../elsewhere/logo.png\n")
    assert english.startswith("brand.yaml:3: logo: the logo must lie in the brand file's folder: copy ../elsewhere")
    assert "标志图片必须放在品牌文件所在的文件夹中" in chinese


def test_an_unquoted_colour_is_said_to_need_quotes(tmp_path: Path) -> None:
    english, chinese = _brand_problem(tmp_path, "name: Acme\nprimary_colour: #aa3300\n")
    assert english.startswith("brand.yaml:2: primary_colour: primary_colour has no value: in YAML a # starts a comment")
    assert "颜色要加引号" in chinese
    english, _ = _brand_problem(tmp_path, "primary_colour: dark red\n")
    assert english == (
        "brand.yaml:1: primary_colour: 'dark red' is not a colour: write it as #rrggbb in quotes, "
        'for example primary_colour: "#1f4e8c"'
    )


def test_a_logo_with_more_pixels_than_a_logo_needs_is_refused_not_dropped(tmp_path: Path) -> None:
    """A picture of too many pixels was left out of the PDF without a word (the decoder refuses it)."""
    Image.new("1", (6000, 5000)).save(tmp_path / "poster.png")
    english, chinese = _brand_problem(tmp_path, "logo: poster.png\n")
    assert english.startswith("brand.yaml:1: logo: poster.png is 6000 × 5000 pixels; a logo may have at most 25")
    assert "百万像素" in chinese
    Image.new("1", (20000, 20000)).save(tmp_path / "bomb.png")
    english, _ = _brand_problem(tmp_path, "logo: bomb.png\n")
    assert english.startswith("brand.yaml:1: logo: bomb.png has far too many pixels")
    Image.new("RGB", (1000, 400)).save(tmp_path / "fine.png")
    (tmp_path / "brand.yaml").write_text("logo: fine.png\n", encoding="utf-8")
    assert load_brand(tmp_path / "brand.yaml").logo == "fine.png"


def test_a_logo_file_of_many_megabytes_is_refused(tmp_path: Path) -> None:
    from assess.report.brand import MAX_LOGO_BYTES

    Image.new("RGB", (10, 10)).save(tmp_path / "photo.png")
    with (tmp_path / "photo.png").open("ab") as handle:
        handle.write(b"\0" * MAX_LOGO_BYTES)
    english, _ = _brand_problem(tmp_path, "logo: photo.png\n")
    assert english.startswith("brand.yaml:1: logo: photo.png is 5.0 MB; a logo may be at most 5 MB")


def test_an_empty_logo_or_a_brand_file_that_is_a_list_are_said_plainly(tmp_path: Path) -> None:
    english, _ = _brand_problem(tmp_path, "name: Acme\nlogo: ''\n")
    assert english.startswith("brand.yaml:2: logo: logo is empty")
    english, _ = _brand_problem(tmp_path, "- name: Acme\n")
    assert english.startswith("brand.yaml: expected a mapping of brand settings")


def test_a_brand_file_indented_with_a_tab_is_said_so(tmp_path: Path) -> None:
    english, chinese = _brand_problem(tmp_path, "name: Acme\n\tlogo: logo.png\n", "无法读取 brand.yaml")
    assert english.startswith("brand.yaml:2: invalid YAML") and "this line holds a tab" in english
    assert "制表符" in chinese


def test_a_labels_file_that_is_a_list_is_an_error_not_a_traceback(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path
) -> None:
    folder = override(tmp_path, "labels.yaml", "- summary\n")
    with pytest.raises(TemplateError) as info:
        report_html(criteria, strong, ReportOptions(templates=folder))
    assert "labels.yaml should map each label to its words" in str(info.value.problems[0])


def test_a_label_missing_a_language_is_shown_with_its_line(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path
) -> None:
    folder = override(tmp_path, "labels.yaml", "summary: {zh: 摘要, en: At a glance}\nmethod: {zh: 方法}\n")
    with pytest.raises(TemplateError) as info:
        report_html(criteria, strong, ReportOptions(templates=folder))
    [problem] = info.value.problems
    assert problem.location == f"{folder / 'labels.yaml'}:2: method" and problem.message == "en missing"
    assert problem.message_in("zh") == "缺少 en"


def test_an_include_of_a_missing_template_names_the_template_and_line_that_asks(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path
) -> None:
    folder = override(
        tmp_path, "report/sections/method.html.j2", '<section>\n{% include "report/sections/extra.html.j2" %}\n'
    )
    with pytest.raises(TemplateError) as info:
        report_html(criteria, strong, ReportOptions(templates=folder))
    [problem] = info.value.problems
    assert problem.location.endswith("report/sections/method.html.j2:2"), problem
    assert "there is no template report/sections/extra.html.j2" in problem.message


def test_an_undefined_variable_names_the_broken_template_not_the_main_one(
    criteria: CriteriaSet, strong: ScoreResult, tmp_path: Path
) -> None:
    folder = override(tmp_path, "report/sections/method.html.j2", "<section>\n\n<p>{{ r.firm.nmae }}</p>\n")
    with pytest.raises(TemplateError) as info:
        report_html(criteria, strong, ReportOptions(templates=folder))
    assert "method.html.j2" in info.value.summary and "report/report.html.j2" not in info.value.summary
    assert info.value.problems[0].location.endswith("report/sections/method.html.j2:3")
