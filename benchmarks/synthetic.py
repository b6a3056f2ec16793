"""Synthetic exporters for tests and benchmarks: deterministic, seeded, plausible and fictional.

    .venv/bin/python benchmarks/synthetic.py N OUT [--format folder|csv|xlsx] [--seed 1] [--broken K]

Every firm gets a latent maturity (0-4) and an offset per theme; its answers scatter around that:
level answers near it, choices, multi-choices and numbers picked by how many points they earn
(so better firms have lower return and non-conformity rates, more trademark registrations, more
facilitation), yes/no leaning the good way.  Only questions whose `applies_if` holds are answered.
About 3 % of firms trigger exactly one veto (the others trigger none), about 5 % are drafts that
answer half the questions; some answers carry evidence notes, targets or a justified N/A.

Firm names are made up from syllable lists (宁波 + two invented syllables + a trade + 有限公司);
credit codes are random but valid (GB 11714 organisation code check, GB 32100 check character).

Outputs:
  folder  one YAML file per firm (`firm-00001.yaml`, ...), as a consultant would collect them;
  csv     ONE table, UTF-8 with BOM, a row per firm (what `iter_table_rows` reads);
  xlsx    the same table as a workbook.
Table columns: firm_name, credit_code, industry, markets (space-separated ids), assessment_date,
assessor, then a column per question id (multi-choice space-separated, yes/no, "N/A"), each followed
by `<QID>_note` when some firm has a note for it.  A table has no place for target levels or for the
draft flag (a row with required answers missing reads back as a draft), so targets are left out.

`--broken K` spoils K of the N inputs so that each yields exactly one error: in a folder an unknown
question id, an out-of-range level, or a binary file named .yaml (in turn); in a table one bad cell
per row (a level out of range, an unknown option, a non-number, a yes/no that is neither).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from openpyxl import Workbook

from assess.api import load_criteria
from assess.models.answers import Answer
from assess.models.credit_code import CHARSET, check_character
from assess.models.criteria import (
    CriteriaSet,
    LevelQuestion,
    MultiChoiceQuestion,
    NumberBand,
    NumberQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assess.models.response import FirmProfile
from assess.questionnaire.xlsform import na_choice_name
from assess.scoring.applicability import applicability
from assess.scoring.conditions import evaluate
from assess.validation import parse_value

__all__ = [
    "BROKEN_QUESTION_ID",
    "FORMATS",
    "TABLE_FIRM_COLUMNS",
    "synthetic_responses",
    "table_columns",
    "write_folder",
    "write_table",
]

Format = Literal["folder", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("folder", "csv", "xlsx")
TABLE_FIRM_COLUMNS = ("firm_name", "credit_code", "industry", "markets", "assessment_date", "assessor")
BROKEN_QUESTION_ID = "ZZ-99"  # the unknown question id of a broken response file
NA_TEXT = "N/A"

VETO_SHARE = 0.03
DRAFT_SHARE = 0.05
NA_SHARE = 0.05  # of the answers to questions that allow N/A
TARGET_SHARE = 0.08  # of the level answers below the top level
NOTE_SHARE = 0.10  # plus up to 0.15 more for mature firms
OPTIONAL_SHARE = 0.6  # chance that an optional question is answered (plus maturity)
FIRST_DATE = dt.date(2026, 9, 1)
DATE_SPAN_DAYS = 90

# --- invented names ------------------------------------------------------------------------------

# (prefix of the firm name, administrative division codes of GB/T 2260 it goes with, weight)
PLACES: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("宁波", ("330203", "330205", "330206", "330211", "330212"), 6.0),
    ("宁波北仑", ("330206",), 1.0),
    ("宁波鄞州", ("330212",), 1.0),
    ("宁波奉化", ("330213",), 0.7),
    ("慈溪市", ("330282",), 1.5),
    ("余姚市", ("330281",), 1.2),
    ("宁海县", ("330226",), 0.8),
    ("象山县", ("330225",), 0.6),
)
FIRST_SYLLABLES = "甬鸿晟瑞博恒嘉睿拓昱泓澜铭骏曜湛峻翔卓弘琨煜珩岱璟朗沐宸钧逸舜禹朔霁岚"
SECOND_SYLLABLES = "诚达信航泰源丰宇通盛凯越辰霖峰川锐捷禾晖远众鑫策勤启衡韬岳舟屹澄"
TRADES: dict[str, tuple[str, ...]] = {
    "solar": ("光伏科技", "新能源科技", "太阳能科技"),
    "nonferrous": ("铜业", "金属制品", "有色金属材料"),
    "baby_products": ("婴童用品", "母婴用品", "儿童用品"),
    "food": ("食品", "农产品", "食品科技"),
    "automotive": ("汽车部件", "汽配", "车业科技"),
    "led_lighting": ("照明电器", "光电科技", "照明科技"),
    "kitchenware": ("厨具", "炊具", "厨房用品"),
    "small_appliances": ("电器", "家电科技", "电器科技"),
    "crafts": ("工艺品", "竹木制品", "礼品"),
    "aquatic": ("水产", "海产食品", "水产食品"),
    "textiles": ("针织服饰", "服饰", "纺织品"),
    "machinery": ("机械", "机电科技", "泵业"),
}
OTHER_TRADES = ("实业", "科技", "制品")
INDUSTRY_WEIGHTS = {"small_appliances": 2.0, "textiles": 2.0, "machinery": 2.0, "kitchenware": 1.5}
INDUSTRY_WEIGHTS |= {"led_lighting": 1.5, "automotive": 1.5, "other": 0.5}
MARKET_WEIGHTS = {"eu": 5.0, "us": 5.0, "uk": 2.0, "japan": 2.0, "asean": 2.0, "other": 0.5}
SURNAMES = "陈王李张刘周徐孙胡朱林何郑罗叶沈杨吴应邬葛俞金汪"
GIVEN = "立敏静涛军芳婷杰磊霞伟丽佳俊晨琳航颖斌燕超倩浩萍"
ROLES = (
    ("质量总监", "quality director"),
    ("品质部经理", "QA manager"),
    ("合规经理", "compliance manager"),
    ("外贸部", "export dept."),
    ("总经理", "general manager"),
    ("实验室主任", "lab manager"),
    ("体系工程师", "QMS engineer"),
    ("外部顾问", "external consultant"),
)
NOTES = (
    "见程序文件QP-{n:02d}及{y}年记录 / see procedure QP-{n:02d} and the {y} records",
    "{y}年内审报告第{n}项 / internal audit {y}, item {n}",
    "管理评审输出{y}-{n:02d} / management review output {y}-{n:02d}",
    "客户审核报告（{y}年{m}月）/ customer audit report ({y}-{m:02d})",
    "抽查{n}批出货记录，全部可追溯 / {n} shipment records sampled, all traceable",
    "第三方检测报告编号TR{y}{n:04d} / third-party test report TR{y}{n:04d}",
    '"关键特性"清单, 共{n}项; Cpk≥1.33 / "critical characteristics" list, {n} items',
)
NA_REASONS = (
    "不适用：本企业产品不涉及该要求 / N/A: our products are outside this requirement",
    "不适用：目标市场无此要求 / N/A: not required by our markets",
    "不适用：本年度无相关业务 / N/A: no such business this year",
)
TEXTS = (
    "海关一般认证企业，无未结质量纠纷。",
    "近三年无境外通报；客户投诉均已关闭。 / No foreign notifications in three years.",
    "正在申请海关高级认证（AEO）。",
)


# --- what the criteria set offers, worked out once per set --------------------------------------


@dataclass
class _Plan:
    criteria: CriteriaSet
    questions: list[Question]
    veto_questions: set[str]
    referenced: set[str]  # question ids read by any applicability rule, veto or gate
    ranges: dict[str, list[tuple[NumberBand, float, float]]] = field(default_factory=dict)
    industries: list[str] = field(default_factory=list)
    industry_weights: list[float] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    market_weights: list[float] = field(default_factory=list)


def _plan(criteria: CriteriaSet) -> _Plan:
    questions = list(criteria.questions.values())
    veto_questions = {qid for veto in criteria.vetoes for qid in veto.when.referenced_questions()}
    referenced = set(veto_questions)
    for gate in criteria.gates:
        referenced |= gate.when.referenced_questions()
    for question in questions:
        if question.applies_if is not None:
            referenced |= question.applies_if.referenced_questions()
    plan = _Plan(criteria, questions, veto_questions, referenced)
    for question in questions:
        if isinstance(question, NumberQuestion):
            plan.ranges[question.id] = _band_ranges(question)
    plan.industries = [t.id for t in criteria.industries]
    plan.industry_weights = [INDUSTRY_WEIGHTS.get(i, 1.0) for i in plan.industries]
    plan.markets = [t.id for t in criteria.markets]
    plan.market_weights = [MARKET_WEIGHTS.get(m, 1.2) for m in plan.markets]
    return plan


def _band_ranges(question: NumberQuestion) -> list[tuple[NumberBand, float, float]]:
    """Each band with a plausible [low, high) to draw from: open ends reach twice the neighbour's width."""
    bands = sorted(question.bands, key=lambda b: -math.inf if b.from_ is None else b.from_)
    widths = [b.to - b.from_ for b in bands if b.from_ is not None and b.to is not None]
    default_width = max(widths) if widths else 10.0
    ranges: list[tuple[NumberBand, float, float]] = []
    for i, band in enumerate(bands):
        before = bands[i - 1] if i > 0 else None
        after = bands[i + 1] if i + 1 < len(bands) else None

        def width(b: NumberBand | None) -> float:
            if b is not None and b.from_ is not None and b.to is not None:
                return b.to - b.from_
            return default_width

        low = band.from_ if band.from_ is not None else (band.to or 0.0) - 2 * width(after)
        high = band.to if band.to is not None else (band.from_ or 0.0) + 2 * width(before)
        if question.minimum is not None:
            low, high = max(low, question.minimum), max(high, question.minimum)
        if question.maximum is not None:
            low, high = min(low, question.maximum), min(high, question.maximum)
        ranges.append((band, low, high))
    return ranges


# --- drawing answers -----------------------------------------------------------------------------


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _closeness(points: float, best: float, quality: float) -> float:
    """How well an answer worth `points` fits a firm at `quality` (0-1): a bell around it."""
    share = points / best if best > 0 else 0.5
    return math.exp(-(((share - quality) / 0.18) ** 2)) + 1e-6


def _number_value(question: NumberQuestion, low: float, high: float, rng: random.Random) -> int | float:
    if question.integer:
        first = math.ceil(low)
        last = max(first, math.ceil(high) - 1)
        return rng.randint(first, last)
    digits = 2 if high - low < 2 else 1
    value = round(rng.uniform(low, high), digits) if high > low else low
    if question.minimum is not None:
        value = max(value, question.minimum)
    if question.maximum is not None:
        value = min(value, question.maximum)
    return float(value)


def _draw(plan: _Plan, question: Question, quality: float, rng: random.Random) -> Any:
    """A raw answer (as a response file writes it) for a firm of this quality (0-1) on this question."""
    if isinstance(question, LevelQuestion):
        top = len(question.levels) - 1
        return int(_clamp(round(quality * top), 0, top))
    if isinstance(question, SingleChoiceQuestion):
        best = question.max_points
        weights = [_closeness(o.points, best, quality) for o in question.options]
        return rng.choices(question.options, weights)[0].id
    if isinstance(question, MultiChoiceQuestion):
        plain = [o for o in question.options if not o.exclusive]
        exclusive = [o for o in question.options if o.exclusive]
        count = int(_clamp(round(quality * len(plain) + rng.gauss(0, 0.6)), 0, len(plain)))
        if count == 0 and exclusive:
            return [exclusive[0].id]
        count = max(count, 1)
        pool = list(range(len(plain)))
        chosen: set[int] = set()
        while len(chosen) < count:  # earlier options (the usual ones) are likelier
            index = rng.choices(pool, [1 / (1 + 0.35 * i) for i in pool])[0]
            chosen.add(index)
            pool.remove(index)
        return [plain[i].id for i in sorted(chosen)]
    if isinstance(question, YesNoQuestion):
        if question.yes_points == question.no_points:
            return rng.random() < 0.5
        good = question.yes_points > question.no_points
        return good if rng.random() < 1 / (1 + math.exp(-(quality - 0.3) * 10)) else not good
    if isinstance(question, NumberQuestion):
        ranges = plan.ranges[question.id]
        best = question.max_points
        _band, low, high = rng.choices(ranges, [_closeness(b.points, best, quality) for b, _, _ in ranges])[0]
        return _number_value(question, low, high, rng)
    return rng.choice(TEXTS)


def _candidates(plan: _Plan, question: Question) -> list[Any]:
    """Answers worth trying when an answer must set off, or keep clear of, a veto."""
    if isinstance(question, LevelQuestion):
        return list(range(len(question.levels)))
    if isinstance(question, SingleChoiceQuestion):
        return [o.id for o in question.options]
    if isinstance(question, MultiChoiceQuestion):
        return [[o.id] for o in question.options]
    if isinstance(question, YesNoQuestion):
        return [True, False]
    if isinstance(question, NumberQuestion):
        return [_number_value(question, low, low, random.Random(0)) for _, low, _ in plan.ranges[question.id]]
    return []


def _points(question: Question, raw: Any) -> float:
    """Rough points of a candidate, to prefer the cleanest answer when one must be replaced."""
    if isinstance(question, LevelQuestion):
        return float(raw)
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        ids = raw if isinstance(raw, list) else [raw]
        return sum(o.points for o in question.options if o.id in ids)
    if isinstance(question, YesNoQuestion):
        return question.yes_points if raw else question.no_points
    if isinstance(question, NumberQuestion):
        band = question.band_for(float(raw))
        return band.points if band else 0.0
    return 0.0


def _typed(question: Question, raw: Any) -> Answer:
    if raw == NA_TEXT:
        return Answer(na=True)
    return Answer(value=parse_value(question, raw))


def _note(rng: random.Random) -> str:
    template = rng.choice(NOTES)
    return template.format(n=rng.randint(1, 40), y=rng.choice((2024, 2025, 2026)), m=rng.randint(1, 12))


# --- firms ---------------------------------------------------------------------------------------


def _gb11714(body: str) -> str:
    """The check character of an organisation code (GB 11714) over its first 8 characters."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _credit_code(division: str, rng: random.Random) -> str:
    if rng.random() < 0.85:  # codes issued since 2015: MA + an issuing-office character + 5 more
        body = "MA" + rng.choice("2345") + "".join(rng.choice(CHARSET) for _ in range(5))
    else:  # an older, all-digit organisation code carried over
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + division + body + _gb11714(body)
    return first17 + check_character(first17)


def _firm_name(industry: str, rng: random.Random) -> tuple[str, str]:
    """An invented firm name and the division code of its place."""
    place, divisions, _ = rng.choices(PLACES, [w for _, _, w in PLACES])[0]
    brand = rng.choice(FIRST_SYLLABLES) + rng.choice(SECOND_SYLLABLES)
    trade = rng.choice(TRADES.get(industry, OTHER_TRADES))
    form = "股份有限公司" if rng.random() < 0.15 else "有限公司"
    return place + brand + trade + form, rng.choice(divisions)


def _assessor(rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    zh, en = rng.choice(ROLES)
    return f"{name} ({zh} / {en})"


class _Generator:
    def __init__(self, criteria: CriteriaSet, seed: int) -> None:
        self.plan = _plan(criteria)
        self.seed = seed
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def firm(self, index: int) -> dict[str, Any]:
        plan = self.plan
        criteria = plan.criteria
        rng = random.Random(f"assess-synthetic:{self.seed}:{index}")
        maturity = 4 * rng.betavariate(2.0, 2.0)
        offsets = {theme.id: rng.gauss(0, 0.5) for theme in criteria.themes}
        vetoed = rng.random() < VETO_SHARE
        draft = rng.random() < DRAFT_SHARE

        industry = rng.choices(plan.industries, plan.industry_weights)[0]
        count = int(_clamp(round(rng.gauss(1.5 + 0.6 * maturity, 1.0)), 1, min(6, len(plan.markets))))
        picked: set[str] = set()
        while len(picked) < count:
            picked.add(rng.choices(plan.markets, plan.market_weights)[0])
        markets = [m for m in plan.markets if m in picked]
        for _ in range(100):
            name, division = _firm_name(industry, rng)
            if name not in self.names:
                break
        else:
            name = name.removesuffix("有限公司") + f"第{index + 1}分公司"  # pragma: no cover - 100 clashes
        self.names.add(name)
        code = _credit_code(division, rng)
        while code in self.codes:  # pragma: no cover - one in a billion
            code = _credit_code(division, rng)
        self.codes.add(code)
        firm: dict[str, Any] = {
            "name": name,
            "credit_code": code,
            "industry": industry,
            "markets": markets,
            "assessment_date": FIRST_DATE + dt.timedelta(days=rng.randrange(DATE_SPAN_DAYS)),
        }
        assessor = _assessor(rng)
        if assessor:
            firm["assessor"] = assessor
        profile = FirmProfile.model_validate(firm)

        veto = rng.choice(criteria.vetoes) if vetoed and criteria.vetoes else None
        raw: dict[str, Any] = {}
        visible: dict[str, Answer] = {}
        for question in plan.questions:
            if question.applies_if is not None and evaluate(question.applies_if, profile, visible) is not True:
                continue
            if not question.required and rng.random() > OPTIONAL_SHARE + 0.1 * maturity:
                continue
            quality = _clamp((maturity + offsets[criteria.theme_of[question.id]] + rng.gauss(0, 0.6)) / 4, 0, 1)
            if question.na_allowed and rng.random() < NA_SHARE:
                value: Any = NA_TEXT
            else:
                value = _draw(plan, question, quality, rng)
            if question.id in plan.veto_questions:
                value = self._settle_veto(question, value, veto, profile, visible, rng)
            raw[question.id] = value
            visible[question.id] = _typed(question, value)

        if draft:
            for qid in rng.sample(sorted(raw), len(raw) // 2):
                del raw[qid]
            typed = {qid: _typed(criteria.questions[qid], value) for qid, value in raw.items()}
            applies = applicability(criteria, profile, typed)
            raw = {qid: value for qid, value in raw.items() if applies[qid]}

        answers: dict[str, Any] = {}
        for qid, value in raw.items():
            question = criteria.questions[qid]
            entry: dict[str, Any] = {"value": value}
            if value == NA_TEXT:
                entry["note"] = rng.choice(NA_REASONS)
            elif not isinstance(question, TextQuestion) and rng.random() < NOTE_SHARE + 0.04 * maturity:
                entry["note"] = _note(rng)
            top = len(question.levels) - 1 if isinstance(question, LevelQuestion) else 0
            if isinstance(value, int) and value < top and rng.random() < TARGET_SHARE:
                entry["target"] = min(top, value + rng.choice((1, 1, 2)))
            answers[qid] = entry if len(entry) > 1 else value
        return {
            "criteria": criteria.id,
            "status": "draft" if draft else "final",
            "firm": firm,
            "answers": answers,
        }

    def _settle_veto(
        self,
        question: Question,
        value: Any,
        veto: Any,
        profile: FirmProfile,
        visible: dict[str, Answer],
        rng: random.Random,
    ) -> Any:
        """Set off the firm's chosen veto (if any, and not yet set off) and keep clear of all the others."""
        vetoes = self.plan.criteria.vetoes

        def fires(candidate: Any) -> list[str]:
            trial = {**visible, question.id: _typed(question, candidate)}
            return [v.id for v in vetoes if evaluate(v.when, profile, trial) is True]

        wanted = {veto.id} if veto is not None and evaluate(veto.when, profile, visible) is not True else set()
        allowed = {veto.id} if veto is not None else set()
        if wanted:
            hits = [c for c in _candidates(self.plan, question) if set(fires(c)) == wanted]
            if hits:
                return rng.choice(hits)
        if set(fires(value)) <= allowed:
            return value
        safe = [c for c in _candidates(self.plan, question) if set(fires(c)) <= allowed]
        return max(safe, key=lambda c: _points(question, c)) if safe else value


def synthetic_responses(criteria: CriteriaSet, n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """`n` synthetic firms' responses, as a response YAML file would load; the same seed, the same firms.

    Firm `i` depends only on the seed and on firms before it, so a shorter run is a prefix of a longer one.
    """
    generator = _Generator(criteria, seed)
    for index in range(n):
        yield generator.firm(index)


# --- broken inputs -------------------------------------------------------------------------------


def _free_question(plan: _Plan, kind: type[Question]) -> Question:
    """A question of this kind that always applies and that no rule reads, so spoiling it upsets nothing else."""
    for question in plan.questions:
        if isinstance(question, kind) and question.applies_if is None and question.id not in plan.referenced:
            return question
    raise ValueError(f"the criteria set {plan.criteria.id} has no free {kind.__name__} to spoil")


def broken_indexes(n: int, k: int, seed: int) -> list[int]:
    """Which of the `n` inputs `--broken k` spoils (spread out, fixed by the seed)."""
    if not 0 <= k <= n:
        raise ValueError(f"--broken must be between 0 and the number of firms ({n}), not {k}")
    return sorted(random.Random(f"assess-synthetic-broken:{seed}").sample(range(n), k))


BINARY_YAML = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


class _Spoiler:
    """Spoils inputs so that each gives exactly one error; the `turn`-th input the `turn`-th way."""

    def __init__(self, criteria: CriteriaSet) -> None:
        plan = _plan(criteria)
        level = _free_question(plan, LevelQuestion)
        assert isinstance(level, LevelQuestion)
        self.level = level
        self.cells: list[tuple[str, str]] = [
            (level.id, str(len(level.levels) + 2)),  # a level out of range
            (_free_question(plan, SingleChoiceQuestion).id, "maybe"),  # not an option
            (_free_question(plan, NumberQuestion).id, "lots"),  # not a number
            (_free_question(plan, YesNoQuestion).id, "perhaps"),  # neither yes nor no
        ]

    def response(self, response: dict[str, Any], turn: int) -> dict[str, Any] | bytes:
        """A response file with an unknown question id, a level out of range, or binary bytes."""
        answers = dict(response["answers"])
        kind = turn % 3
        if kind == 0:
            answers[BROKEN_QUESTION_ID] = 2
        elif kind == 1:
            bad = len(self.level.levels) + 2
            entry = answers.get(self.level.id)
            answers[self.level.id] = {**entry, "value": bad} if isinstance(entry, dict) else bad
        else:
            return BINARY_YAML
        return {**response, "answers": answers}

    def cell(self, turn: int) -> tuple[str, str]:
        """(question id, text) of a bad table cell."""
        return self.cells[turn % len(self.cells)]


# --- writing -------------------------------------------------------------------------------------

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: dict[str, Any]) -> str:
    """A response as YAML text (the safe dumper, in libyaml's C version when PyYAML has it)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def write_folder(criteria: CriteriaSet, n: int, out: Path, seed: int = 1, broken: int = 0) -> list[Path]:
    """One YAML file per firm in `out` (which must be empty or missing); the files, broken ones included."""
    spoil = {index: turn for turn, index in enumerate(broken_indexes(n, broken, seed))}
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(n)))
    spoiler = _Spoiler(criteria)
    paths: list[Path] = []
    for index, response in enumerate(synthetic_responses(criteria, n, seed)):
        path = out / f"firm-{index + 1:0{width}d}.yaml"
        content: dict[str, Any] | bytes = response
        if index in spoil:
            content = spoiler.response(response, spoil[index])
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dump_yaml(content), encoding="utf-8")
        paths.append(path)
    return paths


def _entry(answer: Any) -> tuple[Any, str | None]:
    if isinstance(answer, dict):
        return answer.get("value"), answer.get("note")
    return answer, None


def table_columns(criteria: CriteriaSet, responses: Iterable[dict[str, Any]]) -> list[str]:
    """The header: firm columns, then each question with `<QID>_note` after it when any firm has a note."""
    noted = {qid for r in responses for qid, answer in r["answers"].items() if _entry(answer)[1]}
    columns = list(TABLE_FIRM_COLUMNS)
    for qid in criteria.questions:
        columns.append(qid)
        if qid in noted:
            columns.append(f"{qid}_note")
    return columns


def _cell(question: Question, value: Any, spreadsheet: bool) -> Any:
    if value is None:
        return ""
    if value == NA_TEXT:
        return na_choice_name(question) if isinstance(question, MultiChoiceQuestion) else NA_TEXT
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, int | float):
        return value if spreadsheet else str(value)
    return str(value)


def table_row(
    criteria: CriteriaSet, response: dict[str, Any], columns: Sequence[str], spreadsheet: bool = False
) -> list[Any]:
    """A response as a table row under `columns` (targets and the draft flag have no column)."""
    firm = response["firm"]
    date = firm["assessment_date"]
    cells: dict[str, Any] = {
        "firm_name": firm["name"],
        "credit_code": firm.get("credit_code") or "",
        "industry": firm["industry"],
        "markets": " ".join(firm["markets"]),
        "assessment_date": date if spreadsheet else date.isoformat(),
        "assessor": firm.get("assessor") or "",
    }
    for qid, answer in response["answers"].items():
        value, note = _entry(answer)
        question = criteria.questions.get(qid)
        cells[qid] = _cell(question, value, spreadsheet) if question is not None else str(value)
        if note:
            cells[f"{qid}_note"] = note
    return [cells.get(column, "") for column in columns]


def write_table(criteria: CriteriaSet, n: int, out: Path, seed: int = 1, broken: int = 0, fmt: Format = "csv") -> Path:
    """ONE table of `n` firms: CSV (UTF-8 with BOM) or XLSX; `broken` rows get one bad cell each."""
    spoil = {index: turn for turn, index in enumerate(broken_indexes(n, broken, seed))}
    columns = table_columns(criteria, synthetic_responses(criteria, n, seed))  # a first pass finds the notes
    position = {column: i for i, column in enumerate(columns)}
    spreadsheet = fmt == "xlsx"
    spoiler = _Spoiler(criteria)
    out.parent.mkdir(parents=True, exist_ok=True)

    def rows() -> Iterator[list[Any]]:
        for index, response in enumerate(synthetic_responses(criteria, n, seed)):
            row = table_row(criteria, response, columns, spreadsheet)
            if index in spoil:
                qid, text = spoiler.cell(spoil[index])
                row[position[qid]] = text
            yield row

    if spreadsheet:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("firms")
        sheet.append(columns)
        for row in rows():
            sheet.append(row)
        workbook.save(out)
    else:
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows())
    return out


# --- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic (fictional) exporters' responses.")
    parser.add_argument("n", type=int, metavar="N", help="number of firms")
    parser.add_argument("out", type=Path, metavar="OUT", help="a folder (folder format) or a .csv/.xlsx file")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--broken", type=int, default=0, metavar="K", help="spoil K inputs, one error each")
    parser.add_argument("--criteria", type=Path, default=None, help="criteria set folder (default: built-in)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must not be negative")
    if not 0 <= args.broken <= args.n:
        parser.error(f"--broken must be between 0 and N ({args.n})")
    criteria = load_criteria(args.criteria)
    start = time.perf_counter()
    try:
        if args.fmt == "folder":
            write_folder(criteria, args.n, args.out, args.seed, args.broken)
        else:
            write_table(criteria, args.n, args.out, args.seed, args.broken, args.fmt)
    except ValueError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - start
    print(
        f"wrote {args.n} synthetic firms ({args.broken} broken) to {args.out} "
        f"as {args.fmt} in {elapsed:.1f} s (seed {args.seed})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
