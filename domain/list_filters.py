"""The filters of a list (GET /hazards, the registers, `hazard-ledger … list`), checked before any query.

A value the reference data does not know — a unit, sector row or street nobody has — is refused with its
own code rather than answered with an empty list, which would read as "nothing there" (issue 15: ``hazards
list --unit nosuch`` printed nothing). A filter a register does not have is refused too: ignoring it would
answer a different question than the one asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.credit_code import validate_credit_code
from domain.errors import DomainError
from domain.reference_data import ReferenceData


def check_unit(reference: ReferenceData, unit: str | None) -> None:
    """Any unit of the district (a department, a street or the zone, the 区安委办): ``unknown_unit``."""
    if unit is not None and unit not in reference.units:
        raise DomainError("unknown_unit", unit=unit)


def check_reference_filters(
    reference: ReferenceData, *, unit: str | None = None, sector: str | None = None, jurisdiction: str | None = None
) -> None:
    """The filters naming reference data: ``unknown_unit``, ``unknown_sector``, ``unknown_jurisdiction``."""
    check_unit(reference, unit)
    if sector is not None:
        reference.sector(sector)
    if jurisdiction is not None:
        reference.jurisdiction(jurisdiction)


def check_choice(field: str, value: str | None, allowed: Iterable[str]) -> None:
    """A value that must be one of a fixed set (a state, a sort key): ``invalid_value`` naming the choices."""
    choices = list(allowed)
    if value is not None and value not in choices:
        raise DomainError(
            "invalid_value", field=field, reason=f"one of: {', '.join(choices)}", reason_zh=f"应为以下之一：{'、'.join(choices)}"
        )


def check_not_applicable(field: str, value: object, register_zh: str) -> None:
    """A filter the register has no column for."""
    if value is not None:
        raise DomainError(
            "invalid_value", field=field, reason="this register has no such filter", reason_zh=f"{register_zh}不支持该筛选条件"
        )


def check_period(date_from: date | None, date_to: date | None) -> None:
    """A business-date range: ``from`` on or before ``to``."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise DomainError("invalid_value", field="from", reason="after 'to'", reason_zh="晚于结束日期 to")


def normal_credit_code(code: str | None) -> str | None:
    """A credit code filter, normalised (upper case); a malformed one is ``invalid_credit_code``."""
    return None if code is None else validate_credit_code(code)
