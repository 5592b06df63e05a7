"""The major risk point (重大安全风险 / 风险点) aggregate and its four lists (Annex 3 "4个清单").

    RiskPointRegistered   一、重大风险基础信息清单 (identity; the rest of list 一 may follow)
    BasicInfoListed       一、 again: description, address, 是否开展风险评估, 危险特性及影响范围
    ResponsibilityListed  二、责任分工信息清单
    ControlMeasuresListed 三、防控措施清单
    EmergencyListed       四、应急处置清单

Listing a list again replaces it (a new event; the earlier one stays in the history). A list may be
filed incomplete — the clerk files what is known — and the risk point says which columns are still
missing. It is *controlled* (counts in Annex 2 已落实“4个清单”管控措施) when every column of all four
lists is filled, with at least one measure in lists 三 and 四 (annex3.md). Phone numbers are stored
in full; exports mask them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.glossary import GovernmentMeasure, RiskList
from domain.inputs import invalid, optional_whole, required_text, terms_once, texts, whole


@dataclass(frozen=True)
class HazardCharacteristics:
    """危险特性及影响范围: possible accident types (物体打击、火灾…), the largest possible casualties
    and direct economic loss, and the social impact."""

    accident_types: tuple[str, ...] = ()
    max_casualties: int | None = None
    max_direct_loss_yuan: int | None = None
    social_impact: str = ""

    def __post_init__(self) -> None:
        # Stored as a JSON array; kept as a tuple so the value object stays immutable.
        object.__setattr__(self, "accident_types", tuple(self.accident_types))

    def missing(self) -> list[str]:
        present = {
            "accident_types": bool(self.accident_types),
            "max_casualties": self.max_casualties is not None,
            "max_direct_loss_yuan": self.max_direct_loss_yuan is not None,
            "social_impact": bool(self.social_impact.strip()),
        }
        return [name for name, ok in present.items() if not ok]


@dataclass(frozen=True)
class EmergencySupply:
    """An item of the 应急物资清单: 物资类别, 名称, 数量, 单位."""

    category: str
    name: str
    quantity: int
    unit: str


# The columns of each list, with the form's labels (for "what is missing" messages and views).
COLUMNS: dict[RiskList, dict[str, str]] = {
    RiskList.BASIC_INFO: {
        "assessed": "是否开展风险评估",
        "name": "风险点名称",
        "enterprise_id": "所属生产经营单位",
        "sector": "所属行业领域",
        "description": "风险描述",
        "address": "风险详细地址",
        "accident_types": "危险特性及影响范围：可能导致的事故类型",
        "max_casualties": "危险特性及影响范围：可能造成的人员最大伤亡数",
        "max_direct_loss_yuan": "危险特性及影响范围：可能造成的最大直接经济损失",
        "social_impact": "危险特性及影响范围：社会影响",
    },
    RiskList.RESPONSIBILITY: {
        "department": "行业监管部门",
        "department_person": "行业监管部门责任人",
        "department_phone": "行业监管部门责任人电话",
        "principal_name": "生产经营单位主要负责人",
        "principal_phone": "生产经营单位主要负责人电话",
    },
    RiskList.CONTROL_MEASURES: {
        "enterprise_measures": "生产经营单位采取的管控措施",
        "government_measures": "属地政府或监管部门采取的监管措施",
    },
    RiskList.EMERGENCY: {
        "emergency_measures": "主要应急措施",
        "supplies": "应急物资清单",
    },
}


def missing_columns(point: Any) -> dict[RiskList, list[str]]:
    """Per list, the columns (codes of ``COLUMNS``) still empty, for anything carrying a risk point's
    fields (the aggregate, or a read model's row): one completeness rule for both."""
    present: dict[RiskList, dict[str, bool]] = {
        RiskList.BASIC_INFO: {
            "description": bool(point.description),
            "address": bool(point.address),
            **{name: False for name in point.characteristics.missing()},
        },
        RiskList.RESPONSIBILITY: {
            "department": bool(point.department),
            "department_person": bool(point.department_person),
            "department_phone": bool(point.department_phone),
            "principal_name": bool(point.principal_name),
            "principal_phone": bool(point.principal_phone),
        },
        RiskList.CONTROL_MEASURES: {
            "enterprise_measures": bool(point.enterprise_measures),
            "government_measures": bool(point.government_measures),
        },
        RiskList.EMERGENCY: {
            "emergency_measures": bool(point.emergency_measures),
            "supplies": bool(point.supplies),
        },
    }
    missing = {}
    for risk_list in RiskList:
        names = [c for c in COLUMNS[risk_list] if present[risk_list].get(c, True) is False]
        if names:
            missing[risk_list] = names
    return missing


_PHONE = re.compile(r"\+?[0-9(][0-9 ()\-]{4,23}")


def _phone(value: str, field: str) -> str:
    value = value.strip()
    if value and (not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 5):
        invalid(field, "not a telephone number", "不是有效的电话号码")
    return value


def _characteristics(value: HazardCharacteristics | None) -> HazardCharacteristics:
    if value is None:
        return HazardCharacteristics()
    if not isinstance(value, HazardCharacteristics):
        invalid("characteristics", "not a description of hazard characteristics", "危险特性及影响范围格式不正确")
    return HazardCharacteristics(
        accident_types=tuple(texts(value.accident_types, "accident_types")),
        max_casualties=optional_whole(value.max_casualties, "max_casualties", 0),
        max_direct_loss_yuan=optional_whole(value.max_direct_loss_yuan, "max_direct_loss_yuan", 0),
        social_impact=value.social_impact.strip(),
    )


def _supply(item: EmergencySupply) -> EmergencySupply:
    if not isinstance(item, EmergencySupply):
        invalid("supplies", "not an emergency supply item", "应急物资格式不正确")
    return EmergencySupply(
        category=required_text(item.category, "supplies.category"),
        name=required_text(item.name, "supplies.name"),
        quantity=whole(item.quantity, "supplies.quantity", 1),
        unit=required_text(item.unit, "supplies.unit"),
    )


def _nothing_listed(field: str) -> None:
    invalid(field, "the list is empty; file at least one column", "清单为空，至少填写一项")


@stable_topics
class RiskPoint(LedgerAggregate):
    not_found_code = "risk_point_not_found"

    @event("RiskPointRegistered")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        sector: str,
        jurisdiction: str,
        name: str,
        description: str,
        address: str,
        assessed: bool,
        characteristics: HazardCharacteristics,
    ) -> None:
        self.enterprise_id = enterprise_id
        self.sector = sector
        self.jurisdiction = jurisdiction
        self.name = name
        self.description = description
        self.address = address
        self.assessed = assessed
        self.characteristics = characteristics
        self.registered_by = actor
        self.registered_at = occurred_at
        # 二、责任分工信息清单
        self.department = ""
        self.department_person = ""
        self.department_phone = ""
        self.principal_name = ""
        self.principal_phone = ""
        # 三、防控措施清单
        self.enterprise_measures: list[str] = []
        self.government_measures: list[GovernmentMeasure] = []
        # 四、应急处置清单
        self.emergency_measures: list[str] = []
        self.supplies: list[EmergencySupply] = []
        # The lists filed at least once (list 一 by the registration itself).
        self.lists_filed: list[RiskList] = [RiskList.BASIC_INFO]

    @classmethod
    def register(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        sector: str,
        jurisdiction: str,
        name: str,
        description: str = "",
        address: str = "",
        assessed: bool = False,
        characteristics: HazardCharacteristics | None = None,
    ) -> RiskPoint:
        if not isinstance(assessed, bool):
            invalid("assessed", "true or false", "应为是或否")
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            enterprise_id=enterprise_id,
            sector=sector,
            jurisdiction=jurisdiction,
            name=required_text(name, "name"),
            description=description.strip(),
            address=address.strip(),
            assessed=assessed,
            characteristics=_characteristics(characteristics),
        )

    # ----- completeness ------------------------------------------------------------------------

    def missing_columns(self) -> dict[RiskList, list[str]]:
        """Per list, the columns (codes of ``COLUMNS``) still empty; lists with nothing missing are left out."""
        return missing_columns(self)

    def missing_lists(self) -> list[RiskList]:
        """The lists not yet complete, in the form's order (一 to 四)."""
        return list(self.missing_columns())

    @property
    def controlled(self) -> bool:
        """All four lists complete: counts in Annex 2 已落实“4个清单”管控措施."""
        return not self.missing_columns()

    # ----- commands ----------------------------------------------------------------------------

    def list_basic_info(
        self,
        actor: Actor,
        occurred_at: datetime,
        description: str,
        address: str,
        assessed: bool,
        characteristics: HazardCharacteristics | None,
    ) -> None:
        """Files list 一 again (its identity — name, enterprise, sector — stays as registered)."""
        self.check_business_order(occurred_at)
        if not isinstance(assessed, bool):
            invalid("assessed", "true or false", "应为是或否")
        self._basic_info_listed(
            actor=actor,
            occurred_at=occurred_at,
            description=description.strip(),
            address=address.strip(),
            assessed=assessed,
            characteristics=_characteristics(characteristics),
        )

    def list_responsibility(
        self,
        actor: Actor,
        occurred_at: datetime,
        department: str,
        department_person: str,
        department_phone: str,
        principal_name: str,
        principal_phone: str,
    ) -> None:
        self.check_business_order(occurred_at)
        values = {
            "department": department.strip(),
            "department_person": department_person.strip(),
            "department_phone": _phone(department_phone, "department_phone"),
            "principal_name": principal_name.strip(),
            "principal_phone": _phone(principal_phone, "principal_phone"),
        }
        if not any(values.values()):
            _nothing_listed("responsibility")
        self._responsibility_listed(actor=actor, occurred_at=occurred_at, **values)

    def list_control_measures(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_measures: list[str],
        government_measures: list[GovernmentMeasure | str],
    ) -> None:
        self.check_business_order(occurred_at)
        measures = texts(enterprise_measures, "enterprise_measures")
        chosen = terms_once(GovernmentMeasure, government_measures, "government_measures")
        if not measures and not chosen:
            _nothing_listed("control_measures")
        self._control_measures_listed(
            actor=actor,
            occurred_at=occurred_at,
            enterprise_measures=measures,
            government_measures=[m.value for m in chosen],
        )

    def list_emergency(
        self,
        actor: Actor,
        occurred_at: datetime,
        measures: list[str],
        supplies: list[EmergencySupply],
    ) -> None:
        self.check_business_order(occurred_at)
        listed = texts(measures, "measures")
        items = [_supply(s) for s in supplies]
        if not listed and not items:
            _nothing_listed("emergency")
        self._emergency_listed(actor=actor, occurred_at=occurred_at, measures=listed, supplies=items)

    # ----- events (state assignment only) ------------------------------------------------------

    def _filed(self, risk_list: RiskList) -> None:
        if risk_list not in self.lists_filed:
            self.lists_filed.append(risk_list)

    @event("BasicInfoListed")
    def _basic_info_listed(
        self,
        actor: Actor,
        occurred_at: datetime,
        description: str,
        address: str,
        assessed: bool,
        characteristics: HazardCharacteristics,
    ) -> None:
        self.description = description
        self.address = address
        self.assessed = assessed
        self.characteristics = characteristics

    @event("ResponsibilityListed")
    def _responsibility_listed(
        self,
        actor: Actor,
        occurred_at: datetime,
        department: str,
        department_person: str,
        department_phone: str,
        principal_name: str,
        principal_phone: str,
    ) -> None:
        self.department = department
        self.department_person = department_person
        self.department_phone = department_phone
        self.principal_name = principal_name
        self.principal_phone = principal_phone
        self._filed(RiskList.RESPONSIBILITY)

    @event("ControlMeasuresListed")
    def _control_measures_listed(
        self, actor: Actor, occurred_at: datetime, enterprise_measures: list[str], government_measures: list[str]
    ) -> None:
        self.enterprise_measures = list(enterprise_measures)
        self.government_measures = [GovernmentMeasure(m) for m in government_measures]
        self._filed(RiskList.CONTROL_MEASURES)

    @event("EmergencyListed")
    def _emergency_listed(
        self, actor: Actor, occurred_at: datetime, measures: list[str], supplies: list[EmergencySupply]
    ) -> None:
        self.emergency_measures = list(measures)
        self.supplies = list(supplies)
        self._filed(RiskList.EMERGENCY)
