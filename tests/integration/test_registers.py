"""Every register is listable (issue 15 item 3), on both backends: GET /cases, /inspections, /accidents,
/risk-points, /problems and /enterprises list what was recorded, narrowed by their filters, sorted, paged,
and only what the reader may see — exactly the records their single-record reads answer.

The district is test_read_scope's (firm A: 化工和危化品, 乌龙街道; firm B: 文化和旅游, 洛羊街道) and a few
records of firm B more, back-dated, so that the filters and the date range have something to tell apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.integration.conftest import INSPECTOR, OFFICE, OTHER_DEPT, Api, credit_code
from tests.integration.test_read_scope import AUDITOR, OTHER_STREET, STREET_A, UNRELATED, World, _get, world  # noqa: F401

PATHS = ("/cases", "/inspections", "/accidents", "/risk-points", "/problems", "/enterprises")


@dataclass
class District:
    world: World
    ids: dict[str, dict[str, str]]  # path → firm ("a" or "b") → the record's id


@pytest.fixture
def district(api: Api, world: World) -> District:  # noqa: F811 - the fixture imported above
    b = world.b
    case_b = api.post(
        "/cases",
        {"enterprise_id": b, "case_number": "呈文旅立〔2023〕3号", "legal_basis": "《安全生产法》第一百零二条",
         "cited_hazard_ids": [world.hazard_b], "occurred_at": "2023-08-01T10:00:00+08:00"},
        OTHER_DEPT, status=201,
    )["id"]  # fmt: skip
    inspection_b = api.post(
        "/inspections",
        {"enterprise_id": b, "kind": "department", "inspectors": [{"user_id": "wlj-zhao", "name": "赵敏"}],
         "occurred_at": "2023-07-01T09:00:00+08:00"},
        OTHER_DEPT, status=201,
    )["id"]  # fmt: skip
    accident_b = api.post(
        "/accidents",
        {"grade": "general", "deaths": 0, "injuries": 2, "direct_loss_yuan": 50_000, "liability": True,
         "description": "游乐设施碰撞", "enterprise_id": b, "occurred_at": "2023-07-15T08:00:00+08:00"},
        OTHER_DEPT, status=201,
    )["id"]  # fmt: skip
    problem_b = api.post(
        "/problems",
        {"description": "景区游乐设施安全管理不到位", "sector": "culture_tourism", "jurisdiction": "luoyang",
         "enterprise_id": b, "occurred_at": "2023-07-20T08:00:00+08:00"},
        OTHER_DEPT, status=201,
    )["id"]  # fmt: skip
    api.post(f"/problems/{problem_b}/rectification", {"note": "已整改"}, OTHER_DEPT)
    return District(world, {
        "/cases": {"a": world.case, "b": case_b},
        "/inspections": {"a": world.inspection, "b": inspection_b},
        "/accidents": {"a": world.accident, "b": accident_b},
        "/risk-points": {"a": world.risk_point},
        "/problems": {"a": world.problem, "b": problem_b},
        "/enterprises": {"a": world.a.id, "b": b},
    })  # fmt: skip


def _listed(api: Api, path: str, who: dict[str, str] = OFFICE, **params: Any) -> Any:
    r = _get(api.client, path, who, **params)
    assert r.status_code == 200, (path, r.text)
    return r.json()


def _ids(page: Any) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_every_register_lists_what_was_recorded(api: Api, district: District) -> None:
    for path in PATHS:
        page = _listed(api, path)
        assert set(_ids(page)) == set(district.ids[path].values()), path
        assert page["total"] == len(district.ids[path]) and page["offset"] == 0, path
    cases = {c["id"]: c for c in _listed(api, "/cases")["items"]}
    case = cases[district.ids["/cases"]["b"]]
    assert case["occurred_at"] == "2023-08-01T02:00:00+00:00" and case["enterprise_name"] == "呈贡洛羊文旅有限公司"
    assert (case["state"], case["state_zh"], case["sector_name"], case["unit"]) == ("open", "办理中", "文化和旅游", "wlj")
    assert "state" not in _listed(api, "/risk-points")["items"][0]  # its four lists (phones): the record's read only


def test_lists_show_exactly_what_the_single_reads_show(api: Api, district: District) -> None:
    w = district.world
    readers = (w.a.principal, w.b_principal, INSPECTOR, OTHER_DEPT, UNRELATED, STREET_A, OTHER_STREET, AUDITOR)
    for path in PATHS:
        for who in readers:
            listed = set(_ids(_listed(api, path, who)))
            readable = {i for i in district.ids[path].values() if _get(api.client, f"{path}/{i}", who).status_code == 200}
            assert listed == readable, (path, who["X-User-Id"])
    # an enterprise sees its own, nothing of the other firm's; a street its territory; an unrelated unit nothing
    assert set(_ids(_listed(api, "/cases", w.a.principal))) == {district.ids["/cases"]["a"]}
    assert set(_ids(_listed(api, "/accidents", STREET_A))) == {district.ids["/accidents"]["a"]}
    assert _listed(api, "/inspections", OTHER_STREET)["total"] == 0


def test_filters_narrow_the_lists(api: Api, district: District) -> None:
    ids, w = district.ids, district.world
    b_code = credit_code(2)
    for path in PATHS:
        b = {ids[path]["b"]} if "b" in ids[path] else set()
        assert set(_ids(_listed(api, path, credit_code=b_code))) == b, path
        assert set(_ids(_listed(api, path, enterprise_id=w.b))) == b, path
        assert set(_ids(_listed(api, path, jurisdiction="luoyang"))) == b, path
        assert set(_ids(_listed(api, path, sector="culture_tourism"))) == b, path
    # a unit: its assigned records, its sectors' and its territory's
    assert set(_ids(_listed(api, "/cases", unit="wlj"))) == {ids["/cases"]["b"]}
    assert set(_ids(_listed(api, "/inspections", unit="yjj"))) == {ids["/inspections"]["a"]}
    assert set(_ids(_listed(api, "/accidents", unit="wulong"))) == {ids["/accidents"]["a"]}
    # state, and the business-date range (Beijing days, both ends included)
    assert _ids(_listed(api, "/problems", state="rectified")) == [ids["/problems"]["b"]]
    assert _ids(_listed(api, "/problems", state="identified")) == [ids["/problems"]["a"]]
    assert _ids(_listed(api, "/cases", state="open", to="2023-08-01")) == [ids["/cases"]["b"]]
    assert _ids(_listed(api, "/inspections", **{"from": "2023-07-01", "to": "2023-07-01"})) == [ids["/inspections"]["b"]]
    assert _listed(api, "/accidents", **{"from": "2023-07-16", "to": "2023-07-31"})["total"] == 0


def test_lists_sort_and_page(api: Api, district: District) -> None:
    ids = district.ids["/inspections"]
    assert _ids(_listed(api, "/inspections")) == [ids["a"], ids["b"]]  # newest first by default
    assert _ids(_listed(api, "/inspections", sort="occurred_at")) == [ids["b"], ids["a"]]
    names = [e["name"] for e in _listed(api, "/enterprises", sort="-name")["items"]]
    assert names == sorted(names, reverse=True)
    first = _listed(api, "/accidents", sort="-occurred_at", limit=1)
    second = _listed(api, "/accidents", sort="-occurred_at", limit=1, offset=1)
    assert first["total"] == second["total"] == 2
    assert _ids(first) + _ids(second) == [district.ids["/accidents"]["a"], district.ids["/accidents"]["b"]]


@pytest.mark.parametrize(
    ("path", "params", "code", "field"),
    [
        ("/cases", {"unit": "nosuch"}, "unknown_unit", None),
        ("/hazards", {"unit": "nosuch"}, "unknown_unit", None),
        ("/warnings", {"unit": "nosuch"}, "unknown_unit", None),
        ("/problems", {"sector": "nosuch"}, "unknown_sector", None),
        ("/hazards", {"sector": "nosuch"}, "unknown_sector", None),
        ("/enterprises", {"jurisdiction": "yjj"}, "unknown_jurisdiction", None),  # a department is no territory
        ("/enterprises", {"credit_code": "123"}, "invalid_credit_code", None),
        ("/accidents", {"from": "2023-08-02", "to": "2023-08-01"}, "invalid_value", "from"),
        ("/cases", {"state": "nosuch"}, "validation_failed", None),
        ("/inspections", {"sort": "nosuch"}, "validation_failed", None),
    ],
)
def test_unknown_filter_values_are_refused(
    api: Api, world: World, path: str, params: dict[str, str], code: str, field: str | None  # noqa: F811
) -> None:
    r = _get(api.client, path, OFFICE, **params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == code and body["message_zh"] and body["message_en"]
    if field:
        assert body["details"]["field"] == field
