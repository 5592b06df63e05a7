"""A month of field work entered late over HTTP, with the server's own workers following the log (issue 13).

``python -m cli serve`` runs as a subprocess (``faults.ApiServer``) on each of two fresh databases. A
scripted June 2023 — a major whose deadline passes before its completion is entered, a completion dated
before its deadline but entered weeks later, a penalty dated before a deadline entered after it, a late
self-report — is sent over HTTP, every act back-dated: to one server in business order, to the other
with each act entered after everything dated later for other records (the worst case: each record's
acts in reverse order of records), with GET reads of warnings, anomalies and hazards in between. No
act refused in the late run may have been accepted on time, and the annexes, KPIs, warnings, anomalies
and hazards' views must be the same.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import scratch_postgres
from tests.integration.conftest import INSPECTOR, OFFICE, credit_code, headers
from tests.integration.faults import ApiServer, running
from tests.integration.test_late_entry_property import differences, normalised

AS_OF = "2023-06-30"
ENV = {"HAZARD_REPEAT_OFFENDER_OPEN_DAYS": "10", "HAZARD_PENALISED_OPEN_DAYS": "7"}


def june(day: int, hour: int, minute: int = 0) -> str:
    return f"2023-06-{day:02d}T{hour:02d}:{minute:02d}:00+08:00"


@dataclass
class Step:
    record: str  # "E1", "H1", "C1": the record the act belongs to (created by its first act)
    when: str  # business time (ISO, +08:00)
    path: str  # with {H1}-style placeholders for records' ids
    body: dict[str, Any]
    who: str  # "office", "inspector", "principal:E1", "staff:E1"
    creates: bool = False


def plan(deadline: str) -> dict[str, Any]:
    return {"responsible_person": "李建国", "measures": "更换失效探头", "funds_yuan": 86000, "deadline": deadline,
            "contingency_plan": "储罐区泄漏专项应急预案"}  # fmt: skip


def major(enterprise: str, text: str) -> dict[str, Any]:
    return {"enterprise_id": "{" + enterprise + "}", "grade": "major", "source": "self_inspection", "criterion": "第十二条",
            "description": text}  # fmt: skip


def month() -> list[Step]:
    """June 2023 in business order (each record's acts in order)."""
    def enterprise(label: str, serial: int, street: str) -> Step:
        body = {"credit_code": credit_code(700 + serial), "name": f"呈贡示例化工{serial}", "sector": "hazardous_chemicals",
                "jurisdiction": street, "principal_name": "李建国", "high_risk": True}  # fmt: skip
        return Step(label, june(1, 8, serial), "/enterprises", body, "office", creates=True)

    return sorted(
        [
            enterprise("E1", 1, "wulong"),
            enterprise("E2", 2, "dayu"),
            # H1: self-reported and reported to the regulator within the hour; deadline 06-10 passes, the
            # completion (06-20) and verification are entered late
            Step("H1", june(2, 9), "/hazards", major("E1", "液化烃储罐区可燃气体检测报警装置失效"), "principal:E1", creates=True),
            Step("H1", june(2, 10), "/hazards/{H1}/report-to-regulator", {}, "principal:E1"),
            Step("H1", june(3, 9), "/hazards/{H1}/plan", plan("2023-06-10"), "principal:E1"),
            Step("H1", june(20, 16), "/hazards/{H1}/completion", {"note": "已更换"}, "staff:E1"),
            Step("H1", june(22, 10), "/hazards/{H1}/verification",
                 {"passed": True, "opinion": "整改到位", "assessed_by": ["experts", "government"]}, "inspector"),
            # H2: completion dated 06-14, before its deadline 06-15, entered weeks later
            Step("H2", june(5, 11), "/hazards", major("E1", "反应釜紧急切断阀失效"), "principal:E1", creates=True),
            Step("H2", june(5, 15), "/hazards/{H2}/report-to-regulator", {}, "principal:E1"),
            Step("H2", june(6, 9), "/hazards/{H2}/plan", plan("2023-06-15"), "principal:E1"),
            Step("H2", june(14, 17), "/hazards/{H2}/completion", {"note": "已更换切断阀"}, "staff:E1"),
            # H3: a late self-report (to the regulator 50 h after the finding); deadline 06-12 missed
            Step("H3", june(4, 9), "/hazards", major("E2", "甲类仓库防爆电气失效"), "principal:E2", creates=True),
            Step("H3", june(6, 11), "/hazards/{H3}/report-to-regulator", {}, "principal:E2"),
            Step("H3", june(7, 9), "/hazards/{H3}/plan", plan("2023-06-12"), "principal:E2"),
            # H4: found by an inspector, no plan for weeks (a 提示 for the plan overdue)
            Step("H4", june(8, 10), "/hazards", {**major("E2", "装卸站台静电接地失效"), "source": "department_inspection"},
                 "inspector", creates=True),
            # C1: a case citing H3, penalties dated before its deadline (06-09) and after it (06-20, 06-25)
            Step("C1", june(8, 15), "/cases", {"enterprise_id": "{E2}", "case_number": "呈应急立〔2023〕61号",
                                               "legal_basis": "《安全生产法》第一百零二条", "cited_hazard_ids": ["{H3}"]},
                 "inspector", creates=True),  # fmt: skip
            Step("C1", june(9, 10), "/cases/{C1}/penalty", {"target": "enterprise", "fine_yuan": 30000,
                 "decision_number": "呈应急罚〔2023〕61-1号", "legal_basis": "《安全生产法》第一百零二条"}, "inspector"),
            Step("C1", june(20, 10), "/cases/{C1}/dual-penalty", {"enterprise_fine_yuan": 50000, "principal_fine_yuan": 8000,
                 "decision_number": "呈应急罚〔2023〕61-2号", "legal_basis": "《安全生产法》第一百一十三条"}, "inspector"),
            # an accident at E1
            Step("A1", june(18, 14), "/accidents", {"enterprise_id": "{E1}", "grade": "general", "deaths": 0, "injuries": 1,
                 "direct_loss_yuan": 80000, "liability": True, "description": "物体打击致一人受伤"}, "inspector", creates=True),
        ],
        key=lambda s: s.when,
    )  # fmt: skip


def worst_case(steps: list[Step]) -> list[Step]:
    """Each act entered after everything dated later for other records: records taken one by one, the
    record whose first act is latest first, each record's acts in order — so every record's acts come
    after all later-dated acts of the records entered before it. A record that others need to exist
    (an enterprise before its hazards, a hazard before the case citing it) goes first anyway."""
    records: dict[str, list[Step]] = {}
    for s in steps:
        records.setdefault(s.record, []).append(s)
    needs = {r: {p.strip("{}") for s in acts for p in _placeholders(s) if p.strip("{}") != r} for r, acts in records.items()}
    order: list[str] = []
    for r in sorted(records, key=lambda r: records[r][-1].when, reverse=True):
        _visit(r, needs, order)
    return [s for r in order for s in records[r]]


def _placeholders(step: Step) -> list[str]:
    return re.findall(r"\{[A-Z]\d\}", step.path + str(step.body))


def _visit(record: str, needs: dict[str, set[str]], order: list[str]) -> None:
    if record in order:
        return
    for n in sorted(needs[record]):
        _visit(n, needs, order)
    order.append(record)


class Client:
    def __init__(self, server: ApiServer) -> None:
        self.http = httpx.Client(base_url=f"{server.url}/api/v1", timeout=30)
        self.ids: dict[str, str] = {}
        self.position = 0

    def actor(self, who: str) -> dict[str, str]:
        if who == "office":
            return OFFICE
        if who == "inspector":
            return INSPECTOR
        role, label = who.split(":")
        eid = self.ids[label]
        return headers(f"{role}-{label}", "李建国" if role == "principal" else "陈安全",
                       "principal" if role == "principal" else "enterprise_staff", eid, "enterprise", label)  # fmt: skip

    def fill(self, text: str) -> str:
        for label, record_id in self.ids.items():
            text = text.replace("{" + label + "}", record_id)
        return text

    def send(self, step: Step) -> tuple[int, str]:
        body = json.loads(self.fill(json.dumps({**step.body, "occurred_at": step.when}, ensure_ascii=False)))
        r = self.http.post(self.fill(step.path), json=body, headers=self.actor(step.who))
        if r.status_code < 300:
            receipt = r.json()
            self.position = max(self.position, receipt["position"])
            if step.creates:
                self.ids[step.record] = receipt["id"]
            return r.status_code, "ok"
        return r.status_code, r.json().get("code", r.text)

    def get(self, path: str, **params: Any) -> Any:
        r = self.http.get(path, params=params, headers={**OFFICE, "X-Min-Position": str(self.position)})
        assert r.status_code == 200, r.text
        return r.json()

    def reads(self) -> None:
        """What the office looks at while the entry goes on."""
        self.get("/warnings", as_of=AS_OF)
        self.get("/accountability/anomalies", as_of=AS_OF)
        self.get("/hazards")
        for label, record_id in self.ids.items():
            if label.startswith("H"):
                self.get(f"/hazards/{record_id}")

    def outputs(self) -> dict[str, Any]:
        hazards = {label: self.get(f"/hazards/{i}") for label, i in self.ids.items() if label.startswith("H")}
        flags = ("state", "overdue", "missed_at", "missed_deadlines", "rectification_lapsed", "self_report_late", "deadline",
                 "reported_to_regulator_at", "version")  # fmt: skip
        warnings = self.get("/warnings", as_of=AS_OF, limit=500)["items"]
        ids = {label: uuid.UUID(i) for label, i in self.ids.items()}
        return normalised(
            {
                "annex1": self.get("/reports/annex1", as_of=AS_OF),
                "annex2": self.get("/reports/annex2", as_of=AS_OF),
                "annex3": self.get("/reports/annex3"),
                "kpis": self.get("/kpis", as_of=AS_OF),
                "anomalies": self.get("/accountability/anomalies", as_of=AS_OF),
                "warnings": sorted(
                    (normalised({k: w[k] for k in ("unit_id", "level", "state", "trigger_key", "trigger_refs", "fact_on")}, ids)
                     for w in warnings), key=lambda w: (w["unit_id"], w["level"], w["trigger_key"])),
                "hazards": {label: {k: h[k] for k in flags} for label, h in hazards.items()},
            },
            ids,
        )  # fmt: skip


@contextlib.contextmanager
def second_database(db_url: str, tmp_path: Path) -> Iterator[str]:
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/late.db"
        return
    with scratch_postgres("late") as url:
        yield url


def test_a_month_entered_late_over_http_shows_what_it_shows_on_time(db_url: str, tmp_path: Path) -> None:
    steps = month()
    late_steps = worst_case(steps)
    assert late_steps != steps
    with (
        second_database(db_url, tmp_path) as late_url,
        running(ApiServer(db_url, tmp_path / "on-time", ENV)) as on_time_server,
        running(ApiServer(late_url, tmp_path / "late", ENV)) as late_server,
    ):
        on_time, late = Client(on_time_server), Client(late_server)
        accepted = {f"{s.record} {s.path}": on_time.send(s) for s in steps}
        results = {}
        for n, s in enumerate(late_steps):
            results[f"{s.record} {s.path}"] = late.send(s)
            if n % 4 == 3:
                late.reads()
        refused_late = {k: (accepted[k], v) for k, v in results.items() if accepted[k][1] == "ok" and v[1] != "ok"}
        assert not refused_late, f"refused only when entered late: {refused_late}"
        assert results == accepted
        diff = differences(on_time.outputs(), late.outputs())
        assert not diff, "\n".join(diff[:40])
