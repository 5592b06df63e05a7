"""Importing a unit's existing hazard ledger (隐患台账, kept in Excel): the rules, free of any file format.

A ledger is read as grids of cell values (``adapters/ledger_workbook.py`` turns a workbook into them).
Here: which columns are which (a mapping, ``reference/ledger_mapping.toml`` by default), where the
header is (title rows above it, two header rows under merged cells), which rows are hazards (not blank,
not 合计/小计, not a footer), how a cell reads (dates in every form clerks type, full-width digits,
amounts in 元 or 万元, 重大/一般), which registered enterprise a row names (its credit code, or its name
matched exactly after normalising), and what acts a row stands for: the report at its 发现日期, the
plan, the completion, the verification, the closure (销号) — the ledger's own commands, each checked by
every rule of the domain when the import runs them (``app/ledger_import.py``).

A row is one hazard whose id derives from the unit, the enterprise, the discovery date and the
description (``ledger_hazard_id``): importing the same ledger again, or a later copy of it that adds
completion dates, never enters a hazard twice — it only adds the acts a hazard does not have yet.
The clerk who imports is the actor of every act; acts the enterprise or a verifier did on paper are
recorded as *transcribed* (their note names the ledger row), the clerk attesting the copy only.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from functools import cached_property
from importlib import resources
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.access import check_role, may_act
from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.business_time import CHINA_TZ
from domain.commands.base import Command
from domain.commands.hazards import CloseHazard, CompleteRectification, FilePlan, ReportHazard, VerifyRectification
from domain.errors import DomainError
from domain.glossary import Assessor, Grade, HazardSource, HazardState, OrgKind, Role
from domain.reference_data import ReferenceData
from domain.values import RectificationPlan

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/ledger-import")
IMPORT_ACTION = "import_ledger"

# ----- who may import ------------------------------------------------------------------------


def imports_ledgers(actor: Actor) -> bool:
    """Whether ``actor``'s role imports ledgers at all (the pages' navigation)."""
    return may_act(actor.role, IMPORT_ACTION)


def import_units(actor: Actor, reference: ReferenceData) -> list[str]:
    """The units whose ledgers ``actor`` may import (what ``check_may_import`` accepts): every unit for the
    区安委办, their own for a unit's clerk, none for anyone else."""
    if not imports_ledgers(actor):
        return []
    if actor.role is Role.COMMITTEE_OFFICE:
        return list(reference.units)
    return [actor.organisation_id] if actor.organisation_id in reference.units else []


def check_may_import(actor: Actor, unit: str, reference: ReferenceData) -> None:
    """A unit's ledger is imported by its own clerks (an inspector of the department, a street or zone
    officer) or by the 区安委办 for any unit: ``role_not_allowed`` / ``outside_scope`` otherwise."""
    check_role(actor, IMPORT_ACTION)
    reference.unit(unit)
    if actor.role is not Role.COMMITTEE_OFFICE and actor.organisation_id != unit:
        raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)


def transcribing_action(action: str, transcribed_from: str) -> str:
    """The action whose roles are checked: a clerk copying an act from a ledger acts as an importer."""
    return IMPORT_ACTION if transcribed_from else action


def transcribed_note(note: str, transcribed_from: str) -> str:
    """The note of a transcribed act names where it was copied from, so the record says it was not the clerk's act."""
    return f"{note}（{transcribed_from}）" if transcribed_from else note


# ----- reading cells -------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01; Excel's phantom 1900-02-29 makes the epoch the 30th
_SERIALS = range(1, 2958466)  # 1900-01-01 .. 9999-12-31
_DATE = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SUBTOTAL = ("合计", "小计", "总计")
_MAX_YUAN = 10**13  # more than any rectification costs: a larger figure is a typing error (or 1e999999)


def normalise(value: Any) -> str:
    """A cell as text: full-width forms folded (２０２３ → 2023, （ → (, full-width space), spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def as_typed(value: Any) -> str:
    """A text cell kept as the ledger has it (its full-width punctuation: （三）, ：), spaces collapsed; the
    folded form (``normalise``) is for reading numbers and dates and for comparing, never for storing."""
    return "" if value is None else " ".join(str(value).split())


def squeeze(value: Any) -> str:
    """For comparing names and headers: normalised, with no spaces at all."""
    return normalise(value).replace(" ", "")


class CellError(ValueError):
    """A cell that does not read as its column's kind: the code and details of the row error."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code, self.details = code, details


def parse_date(value: Any) -> date | None:
    """A ledger date: a date or datetime cell, an Excel serial number, 20230605, or text such as
    2023年6月5日 / 2023.6.5 / 2023-06-05 / 2023/6/5 (full-width digits too). Blank: None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("ledger_date_invalid", value=str(value))
    if isinstance(value, int | float):
        return _from_number(value, str(value))
    text = normalise(value)
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        return _ymd(match.groups(), text)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_number(float(text), text)
    raise CellError("ledger_date_invalid", value=text)


def _from_number(number: float, shown: str) -> date:
    if number == int(number) and 19000101 <= number <= 99991231:
        return _ymd(_COMPACT_DATE.fullmatch(str(int(number))).groups(), shown)  # type: ignore[union-attr]
    if number != int(number) or int(number) not in _SERIALS:
        raise CellError("ledger_date_invalid", value=shown)
    return _EXCEL_EPOCH + timedelta(days=int(number))


def _ymd(parts: Sequence[str], shown: str) -> date:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError("ledger_date_invalid", value=shown) from None


def parse_amount(value: Any, scale: int = 1) -> int | None:
    """整改资金 in whole 元: 86000, 8.6万, 86,000元, ８６０００ (full-width). ``scale`` 10000 for a 万元 column.
    Blank, 无 or a dash: None."""
    if isinstance(value, bool):
        raise CellError("ledger_amount_invalid", value=str(value))
    text = normalise(value).replace(",", "").replace(" ", "")
    if text in ("", "无", "-", "—", "/"):
        return None
    if text.endswith("元"):
        text = text[:-1]
    if text.endswith("万"):
        text, scale = text[:-1], 10000
    try:
        amount = Decimal(text) * scale
    except InvalidOperation:
        raise CellError("ledger_amount_invalid", value=normalise(value)) from None
    if not amount.is_finite() or not 0 <= amount <= _MAX_YUAN:
        raise CellError("ledger_amount_invalid", value=normalise(value))
    return int(amount.to_integral_value())


def parse_grade(value: Any) -> Grade | None:
    """重大 / 一般 (重大隐患, 一般事故隐患 …). Blank: None."""
    text = squeeze(value)
    if not text:
        return None
    if "重大" in text:
        return Grade.MAJOR
    if "一般" in text:
        return Grade.GENERAL
    raise CellError("ledger_grade_invalid", value=normalise(value))


class Stage(IntEnum):
    """How far along its lifecycle a ledger row says a hazard is, and how far a stored one is."""

    REPORTED = 1
    RECTIFYING = 2
    COMPLETED = 3
    VERIFIED = 4
    CLOSED = 5

    @classmethod
    def of(cls, state: HazardState) -> Stage:
        """A stored hazard's stage; a voided one is finished (nothing more is added to it)."""
        return _STAGE_OF_STATE[state]


_STAGE_OF_STATE = {
    HazardState.REPORTED: Stage.REPORTED,
    HazardState.RECTIFYING: Stage.RECTIFYING,
    HazardState.PENDING_VERIFICATION: Stage.COMPLETED,
    HazardState.VERIFIED: Stage.VERIFIED,
    HazardState.CLOSED: Stage.CLOSED,
    HazardState.VOIDED: Stage.CLOSED,
}
# Status words of real ledgers, most specific first (未整改 contains 整改).
_STATUS_WORDS: tuple[tuple[tuple[str, ...], Stage], ...] = (
    (("未整改", "整改中", "正在整改", "待整改", "未完成", "未销号"), Stage.RECTIFYING),
    (("已销号", "销号", "已闭环", "闭环", "已关闭"), Stage.CLOSED),
    (("已验收", "验收合格", "验收通过"), Stage.VERIFIED),
    (("已整改", "整改完成", "已完成", "完成整改", "待验收", "是"), Stage.COMPLETED),
    (("否",), Stage.RECTIFYING),
)


def parse_status(value: Any) -> Stage | None:
    """The 状态 column's word as a stage (已销号 → closed, 已整改 → completed, 整改中 → rectifying …). Blank: None."""
    text = squeeze(value)
    if not text:
        return None
    for words, stage in _STATUS_WORDS:
        if any(word == text or (len(word) > 1 and word in text) for word in words):
            return stage
    raise CellError("ledger_status_invalid", value=normalise(value))


# ----- the mapping and the header --------------------------------------------------------------

FIELDS_REQUIRED = ("description", "discovered", "grade")
_BRACKETED = re.compile(r"\(([^)]*)\)$")


@dataclass(frozen=True)
class LedgerMapping:
    """Which header texts name which field (``reference/ledger_mapping.toml``; a unit's file overrides it)."""

    columns: Mapping[str, tuple[str, ...]]
    header_search_rows: int = 15
    header_min_fields: int = 3
    assessed_by: tuple[Assessor, ...] = (Assessor.GOVERNMENT,)

    def field_of(self, header: Any) -> tuple[str, int] | None:
        """The field a header cell names, with the scale of its amounts (万元: 10000), or None."""
        text = squeeze(header)
        bracket = _BRACKETED.search(text)
        scale = 10000 if bracket and "万元" in bracket.group(1) else 1
        for candidate in (text, _BRACKETED.sub("", text)) if bracket else (text,):
            found = self._by_alias.get(candidate)
            if found is not None:
                return found, scale
        return None

    @cached_property
    def _by_alias(self) -> dict[str, str]:
        return {squeeze(alias): name for name, aliases in self.columns.items() for alias in aliases}


def load_mapping(text: str | None = None) -> LedgerMapping:
    """The default mapping, with a unit's mapping file (TOML text) laid over it field by field."""
    default = tomllib.loads((resources.files("domain") / "reference" / "ledger_mapping.toml").read_text("utf-8"))
    try:
        unit = tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError as exc:
        raise DomainError("ledger_mapping_invalid", reason=str(exc)) from None
    columns = {**default["columns"], **unit.get("columns", {})}
    unknown = set(columns) - set(default["columns"])
    if unknown or not all(isinstance(v, list) and all(isinstance(a, str) for a in v) for v in columns.values()):
        raise DomainError("ledger_mapping_invalid", reason=f"unknown fields or non-text headers: {sorted(unknown)}")
    settings = {**default, **{k: v for k, v in unit.items() if k != "columns"}}
    try:
        return LedgerMapping(
            columns={k: tuple(v) for k, v in columns.items()},
            header_search_rows=int(settings["header_search_rows"]),
            header_min_fields=int(settings["header_min_fields"]),
            assessed_by=tuple(Assessor(a) for a in settings["assessed_by"]),
        )
    except (ValueError, TypeError) as exc:
        raise DomainError("ledger_mapping_invalid", reason=str(exc)) from None


@dataclass(frozen=True)
class Header:
    """Where a sheet's header is: its last row (1-based, as Excel numbers it) and each field's column."""

    last_row: int
    columns: Mapping[str, tuple[int, int]]  # field -> (0-based column, amount scale)


def find_header(grid: Sequence[Sequence[Any]], mapping: LedgerMapping) -> Header | None:
    """The first row naming ``header_min_fields`` fields, with the row under it when that row names fields
    the first does not (a two-row header under merged cells; ``grid`` has merged values filled in)."""
    for index, row in enumerate(grid[: mapping.header_search_rows]):
        found = _fields(row, mapping)
        if len({name for name, _ in found.values()}) < mapping.header_min_fields:
            continue
        below = _fields(grid[index + 1], mapping) if index + 1 < len(grid) else {}
        names = {name for name, _ in found.values()}
        if any(name not in names for name, _ in below.values()):
            merged = {**found, **below}  # the lower row is the more specific where both name a field
            return Header(index + 2, _by_field(merged))
        return Header(index + 1, _by_field(found))
    return None


def _fields(row: Sequence[Any], mapping: LedgerMapping) -> dict[int, tuple[str, int]]:
    return {col: hit for col, cell in enumerate(row) if (hit := mapping.field_of(cell)) is not None}


def _by_field(found: Mapping[int, tuple[str, int]]) -> dict[str, tuple[int, int]]:
    columns: dict[str, tuple[int, int]] = {}
    for col, (name, scale) in sorted(found.items()):
        columns.setdefault(name, (col, scale))  # the leftmost column of a field counts
    return columns


def check_header(header: Header) -> None:
    has_enterprise = "enterprise_name" in header.columns or "credit_code" in header.columns
    missing = [f for f in FIELDS_REQUIRED if f not in header.columns] + ([] if has_enterprise else ["enterprise_name"])
    if missing:
        raise CellError("ledger_columns_missing", columns="、".join(COLUMN_LABELS[m] for m in missing))


COLUMN_LABELS = {
    "serial": "序号", "enterprise_name": "企业名称", "credit_code": "统一社会信用代码", "description": "隐患描述",
    "grade": "隐患等级", "criterion": "判定依据", "location": "隐患部位", "discovered": "发现日期", "deadline": "整改期限",
    "responsible_person": "整改责任人", "measures": "整改措施", "funds": "整改资金", "contingency_plan": "应急预案",
    "completed": "整改完成日期", "verified": "验收日期", "verifier": "验收人", "closed": "销号日期", "status": "状态",
}  # fmt: skip


# ----- rows -------------------------------------------------------------------------------------


class RowKind(IntEnum):
    HAZARD = 1
    BLANK = 2
    SUBTOTAL = 3  # 合计 / 小计 / 总计
    OTHER = 4  # a repeated header, a group label, a footer (填表人 …): no description, date or grade


def row_kind(cells: Mapping[str, Any], mapping: LedgerMapping) -> RowKind:
    texts = [squeeze(v) for v in cells.values()]
    if not any(texts):
        return RowKind.BLANK
    if any(t.startswith(_SUBTOTAL) for t in texts):
        return RowKind.SUBTOTAL
    if mapping.field_of(cells.get("description")) == ("description", 1):
        return RowKind.OTHER
    # A name alone is a group label or a footer (填表人：…); a hazard row says what, when or how grave.
    if not any(squeeze(cells.get(name)) for name in ("description", "discovered", "grade")):
        return RowKind.OTHER
    return RowKind.HAZARD


class RowError(Exception):
    """A row the import refuses: the sheet, the row number as Excel shows it, the column, and why."""

    def __init__(self, sheet: str, row: int, column: str, error: DomainError) -> None:
        super().__init__(f"{sheet}!{row}: {error}")
        self.sheet, self.row, self.column, self.error = sheet, row, column, error

    def view(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet, "row": self.row, "column": self.column, "code": self.error.code,
            "message_zh": f"工作表「{self.sheet}」第 {self.row} 行：{self.error.message_zh}",
            "message_en": f"sheet '{self.sheet}' row {self.row}: {self.error.message_en}",
        }  # fmt: skip


@dataclass(frozen=True)
class LedgerRow:
    """One hazard row, read: every cell in its kind; the enterprise still as the ledger names it."""

    sheet: str
    row: int
    enterprise_name: str
    credit_code: str
    description: str
    grade: Grade
    criterion: str
    location: str
    discovered: date
    deadline: date | None
    responsible_person: str
    measures: str
    funds_yuan: int | None
    contingency_plan: str
    completed: date | None
    verified: date | None
    verifier: str
    closed: date | None
    stage: Stage

    @property
    def where(self) -> str:
        return f"隐患台账「{self.sheet}」第 {self.row} 行"

    @property
    def has_plan(self) -> bool:
        return any((self.deadline, self.responsible_person, self.measures, self.funds_yuan is not None, self.contingency_plan))


def read_row(sheet: str, row: int, cells: Mapping[str, Any], scales: Mapping[str, int]) -> LedgerRow:
    """Reads a hazard row, or raises the first problem as a ``RowError``."""

    def cell(name: str, parse: Any = as_typed) -> Any:
        try:
            return parse(cells.get(name))
        except CellError as exc:
            label = COLUMN_LABELS[name]
            raise RowError(sheet, row, label, DomainError(exc.code, column=label, **exc.details)) from None

    def required(name: str, value: Any) -> Any:
        if value in (None, ""):
            raise RowError(sheet, row, COLUMN_LABELS[name], DomainError("ledger_value_missing", column=COLUMN_LABELS[name]))
        return value

    name, code = cell("enterprise_name"), cell("credit_code", normalise).replace(" ", "").upper()
    if not (name or code):
        required("enterprise_name", "")
    completed, verified, closed = cell("completed", parse_date), cell("verified", parse_date), cell("closed", parse_date)
    verifier = cell("verifier")
    if verifier and verified is None:  # a verifier without the day: the verification cannot be dated
        required("verified", None)
    said = cell("status", parse_status)
    reached = Stage.CLOSED if closed else Stage.VERIFIED if verified else Stage.COMPLETED if completed else None
    stage = _stage(sheet, row, said, reached, verified, cell("status"))
    return LedgerRow(
        sheet=sheet, row=row, enterprise_name=name, credit_code=code,
        description=required("description", cell("description")), grade=required("grade", cell("grade", parse_grade)),
        criterion=cell("criterion"), location=cell("location"), discovered=required("discovered", cell("discovered", parse_date)),
        deadline=cell("deadline", parse_date), responsible_person=cell("responsible_person"), measures=cell("measures"),
        funds_yuan=cell("funds", lambda v: parse_amount(v, scales.get("funds", 1))), contingency_plan=cell("contingency_plan"),
        completed=completed, verified=verified, verifier=verifier, closed=closed, stage=stage,
    )  # fmt: skip


def _stage(sheet: str, row: int, said: Stage | None, reached: Stage | None, verified: date | None, shown: str) -> Stage:
    """The stage the row's dates reach, checked against what its 状态 says (a closure needs a verification,
    dated by 验收日期: the acts are never invented)."""
    if said is None:
        return reached or Stage.REPORTED
    if said is Stage.CLOSED and verified is not None:
        return Stage.CLOSED
    if said > Stage.RECTIFYING and (reached or Stage.REPORTED) < said:
        raise RowError(sheet, row, COLUMN_LABELS["status"], DomainError("ledger_status_without_date", status=shown,
                                                                        column=_STAGE_DATE[said]))  # fmt: skip
    if said <= Stage.RECTIFYING and reached is not None:
        raise RowError(sheet, row, COLUMN_LABELS["status"], DomainError("ledger_status_contradicts_dates"))
    return reached or said


_STAGE_DATE = {Stage.COMPLETED: "整改完成日期", Stage.VERIFIED: "验收日期", Stage.CLOSED: "验收日期"}


# ----- enterprises --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisteredEnterprise:
    id: UUID
    credit_code: str
    name: str


class EnterpriseIndex:
    """The ledger's enterprises, found by credit code or by name — the name matched exactly once spaces,
    full-width forms and （）/() are normalised; an unmatched or ambiguous name is refused with candidates."""

    def __init__(self, enterprises: Iterable[RegisteredEnterprise]) -> None:
        self.all = list(enterprises)
        self.by_code = {e.credit_code: e for e in self.all}
        self.by_name: dict[str, list[RegisteredEnterprise]] = {}
        for e in self.all:
            self.by_name.setdefault(squeeze(e.name), []).append(e)

    def find(self, row: LedgerRow) -> RegisteredEnterprise:
        if row.credit_code:
            found = self.by_code.get(row.credit_code)
            if found is None:
                unknown = DomainError("ledger_enterprise_unknown_code", credit_code=row.credit_code)
                raise self._error(row, "统一社会信用代码", unknown)
            return found
        matches = self.by_name.get(squeeze(row.enterprise_name), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise self._error(row, "企业名称", DomainError("ledger_enterprise_ambiguous", name=row.enterprise_name,
                                                        candidates=_listed(matches), candidate_list=_views(matches)))  # fmt: skip
        near = self.near(row.enterprise_name)
        raise self._error(row, "企业名称", DomainError("ledger_enterprise_unmatched", name=row.enterprise_name,
                                                    candidates=_listed(near) or "无", candidate_list=_views(near)))  # fmt: skip

    def near(self, name: str, limit: int = 5) -> list[RegisteredEnterprise]:
        """Registered names sharing the most characters with ``name`` (for the clerk to choose from)."""
        wanted = set(squeeze(name))
        scored = sorted(((len(wanted & set(squeeze(e.name))) / max(1, len(wanted | set(squeeze(e.name)))), e.name, e)
                         for e in self.all), key=lambda t: (-t[0], t[1]))  # fmt: skip
        return [e for score, _, e in scored[:limit] if score >= 0.5]

    @staticmethod
    def _error(row: LedgerRow, column: str, error: DomainError) -> RowError:
        return RowError(row.sheet, row.row, column, error)


def _listed(enterprises: Sequence[RegisteredEnterprise]) -> str:
    return "；".join(f"{e.name}（{e.credit_code}）" for e in enterprises)


def _views(enterprises: Sequence[RegisteredEnterprise]) -> list[dict[str, str]]:
    return [{"id": str(e.id), "credit_code": e.credit_code, "name": e.name} for e in enterprises]


# ----- acts ---------------------------------------------------------------------------------


def ledger_hazard_id(unit: str, enterprise_id: UUID, discovered: date, description: str) -> UUID:
    """The id of the hazard a ledger row is: the same row in any copy of the unit's ledger is the same hazard
    (whatever its later columns say by then); another unit's ledger holds its own hazards."""
    return uuid5(_NAMESPACE, "|".join((unit, str(enterprise_id), discovered.isoformat(), squeeze(description))))


def start_of(day: date) -> datetime:
    """The business time of an act a ledger dates by day only: 00:00 Beijing, never later than the day it was entered."""
    return datetime.combine(day, time.min, CHINA_TZ)


@dataclass(frozen=True)
class RowActs:
    """The hazard a row is and the acts of it still missing from the ledger, in order."""

    hazard_id: UUID
    commands: tuple[Command, ...]


def row_acts(
    row: LedgerRow,
    *,
    unit: str,
    enterprise: RegisteredEnterprise,
    department: str | None,
    stored: Stage | None,
    source: str,
    mapping: LedgerMapping,
) -> RowActs:
    """The commands that bring the hazard of ``row`` to the stage the row says (those beyond ``stored``)."""
    hazard_id = ledger_hazard_id(unit, enterprise.id, row.discovered, row.description)
    found, noted = start_of(row.discovered), row.where
    acts: list[tuple[Stage, Command]] = [
        (Stage.REPORTED, ReportHazard(
            occurred_at=found, enterprise_id=enterprise.id, grade=row.grade, source=HazardSource(source),
            description=row.description, criterion=row.criterion, location=row.location, department=department,
            record_id=hazard_id,
        )),
    ]  # fmt: skip
    if row.has_plan or row.stage >= Stage.RECTIFYING:
        plan = RectificationPlan(row.responsible_person, row.measures, row.funds_yuan, row.deadline, row.contingency_plan)
        acts.append((Stage.RECTIFYING, FilePlan(occurred_at=found, hazard_id=hazard_id, plan=plan)))
    if row.completed is not None:
        acts.append((Stage.COMPLETED, CompleteRectification(
            occurred_at=start_of(row.completed), hazard_id=hazard_id, note="整改完成", transcribed_from=noted)))  # fmt: skip
    if row.verified is not None:
        opinion = f"验收合格；验收人：{row.verifier}" if row.verifier else "验收合格"
        acts.append((Stage.VERIFIED, VerifyRectification(
            occurred_at=start_of(row.verified), hazard_id=hazard_id, passed=True, opinion=opinion,
            assessed_by=list(mapping.assessed_by), transcribed_from=noted,
        )))  # fmt: skip
    if row.stage is Stage.CLOSED:
        when = start_of(row.closed or row.verified)  # type: ignore[arg-type]
        acts.append((Stage.CLOSED, CloseHazard(occurred_at=when, hazard_id=hazard_id, note=f"销号（{noted}）")))
    return RowActs(hazard_id, tuple(c for stage, c in acts if stored is None or stage > stored))


def default_source(unit_kind: OrgKind) -> str:
    """A department's ledger lists what its inspections found; a street's, zone's or the office's, supervision."""
    return (HazardSource.DEPARTMENT_INSPECTION if unit_kind is OrgKind.DEPARTMENT else HazardSource.SUPERVISION).value


# ----- the record of an import ----------------------------------------------------------------


def ledger_import_id(unit: str, sha256: str) -> UUID:
    """One record per file and unit: the same file imported for the same unit again is the same import."""
    return uuid5(_NAMESPACE, f"{unit}|{sha256}")


@dataclass(frozen=True)
class ImportCounts:
    """What an import found and did."""

    rows: int = 0  # hazard rows read
    hazards_new: int = 0  # hazards entered for the first time
    hazards_advanced: int = 0  # hazards already in, given the acts they lacked
    rows_present: int = 0  # rows whose hazard was already in with every act (or twice in the file)
    skipped: int = 0  # blank, 合计/小计 and footer rows
    acts: int = 0  # commands run

    def plus(self, **more: int) -> ImportCounts:
        return ImportCounts(**{k: getattr(self, k) + more.get(k, 0) for k in self.__dataclass_fields__})


@stable_topics
class LedgerImport(LedgerAggregate):
    """隐患台账导入: which file (its SHA-256), for which unit, by whom, and what it held and added."""

    not_found_code = "ledger_import_not_found"

    @staticmethod
    def create_id(unit: str, sha256: str, **_: object) -> UUID:  # type: ignore[override]
        return ledger_import_id(unit, sha256)

    @event("LedgerImported")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        unit: str,
        file_name: str,
        sha256: str,
        sheets: list[str],
        rows: int,
        hazards_new: int,
        hazards_advanced: int,
        rows_present: int,
        skipped: int,
        acts: int,
    ) -> None:
        self.unit = unit
        self.file_name = file_name
        self.sha256 = sha256
        self.sheets = sheets
        self.counts = ImportCounts(rows, hazards_new, hazards_advanced, rows_present, skipped, acts)
        self.imported_by = actor
        self.imported_at = occurred_at


def row_errors(errors: Sequence[RowError]) -> DomainError:
    """The refusal of a whole ledger: every row error, nothing written."""
    return DomainError("ledger_rows_refused", count=len(errors), errors=[e.view() for e in errors])


@dataclass
class SheetGrid:
    """A sheet's cells as values (merged ranges filled with their top-left value), row 1 first."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)


@dataclass(frozen=True)
class DataRow:
    """A hazard row as found: its sheet, its row number as Excel shows it, its cells by field."""

    sheet: str
    row: int
    cells: Mapping[str, Any]
    scales: Mapping[str, int]  # a field's amount scale (a 万元 column: 10000)

    def read(self) -> LedgerRow:
        return read_row(self.sheet, self.row, self.cells, self.scales)


def hazard_rows(sheets: Iterable[SheetGrid], mapping: LedgerMapping) -> Iterator[DataRow | RowKind | RowError]:
    """Each data row of every sheet with a ledger header, a skipped row's kind, or a sheet's error (a header
    lacking required columns). A sheet with no header at all (a cover page, 填表说明) is passed over."""
    for sheet in sheets:
        header = find_header(sheet.rows, mapping)
        if header is None:
            continue
        try:
            check_header(header)
        except CellError as exc:
            yield RowError(sheet.name, header.last_row, "", DomainError(exc.code, **exc.details))
            continue
        scales = {name: scale for name, (_, scale) in header.columns.items()}
        for offset, values in enumerate(sheet.rows[header.last_row :]):
            cells = {name: values[col] if col < len(values) else None for name, (col, _) in header.columns.items()}
            kind = row_kind(cells, mapping)
            yield DataRow(sheet.name, header.last_row + 1 + offset, cells, scales) if kind is RowKind.HAZARD else kind
