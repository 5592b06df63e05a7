"""The administrator (系统管理员) reads no record (issue 12 item 6, found by the access matrix).

Their organisation is the 区安委办, and the read scope treated them as a member of that unit: they read the
cases, inspections, publication batches, accountability decisions and problems assigned to 区安委办, its work
log and flags, its reports and submissions. An administrator manages accounts and keys and acts on no record.
"""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.glossary import OrgKind, Role
from domain.read_scope import read_scope, report_unit
from domain.reference_data import load_reference
from tests.unit.support import OFFICE, new_world, regulator

ADMIN = regulator("ajb-admin", "管理员", Role.ADMIN, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")


def test_the_administrator_reads_nothing_of_their_own_unit() -> None:
    scope = read_scope(ADMIN, load_reference())
    assert not scope.district and not scope.units and not scope.sectors and not scope.enterprise_ids
    assert not scope.covers(jurisdiction="ajb", units=["ajb"], sector="hazardous_chemicals")
    assert not scope.covers_unit("ajb") and not scope.covers_unit(None)
    # the 区安委办 itself still reads its own unit and the district
    assert read_scope(OFFICE, load_reference()).covers_unit("ajb")


@pytest.mark.parametrize("unit", [None, "ajb", "yjj"])
def test_the_administrator_reads_no_report(unit: str | None) -> None:
    with pytest.raises(DomainError) as info:
        report_unit(ADMIN, unit)
    assert info.value.code == "role_not_allowed"


def test_a_case_of_the_office_is_hidden_from_the_administrator() -> None:
    from domain.commands.enforcement import OpenCase
    from domain.read_scope import ScopedReads

    world = new_world()
    case = world.app.execute(OFFICE, OpenCase(enterprise_id=world.enterprise_id, legal_basis="《安全生产法》第一百零二条",
                                              case_number="呈应急立〔2023〕1号", cited_hazard_ids=[])).id  # fmt: skip
    assert ScopedReads(world.app, OFFICE).case(case)["id"] == str(case)
    with pytest.raises(DomainError) as info:
        ScopedReads(world.app, ADMIN).case(case)
    assert info.value.code == "case_not_found"
