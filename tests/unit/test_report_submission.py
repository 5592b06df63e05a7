"""Report submissions in the domain: canonical figures and their hash, the restatement, the
aggregate's identity, topic and lossless round trip through the application's mapper."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from domain.errors import DomainError
from domain.ledger import Ledger
from domain.report_submission import (
    ReportSubmission,
    canonical_json,
    figures_sha256,
    plain_figure,
    restatement,
    submission_id_for,
    table_figures,
)

from .support import IN_MEMORY, INSPECTOR, OFFICE, STREET_OFFICER

AS_OF = date(2023, 12, 22)
KNOWN_AT = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def _annex2(**month: object) -> dict:
    cells = {"majors": 2, "majors_rectified": 1, "remediation_rate": Decimal("50.00"), "fines_wan": Decimal("4.24"),
             "problem_rectification_rate": None}  # fmt: skip
    return {
        "unit": None,
        "rows": [
            {"key": "cumulative", "label": "累计总计", "cells": cells},
            {"key": "month", "label": "本月总计", "cells": {**cells, **month}},
        ],
    }


def test_figures_are_plain_json_ints_decimals_with_two_places_and_null() -> None:
    assert plain_figure({"a": 1, "b": Decimal("4.2"), "c": None, "d": True, "e": [Decimal("1")], "f": date(2023, 1, 2)}) == {
        "a": 1, "b": "4.20", "c": None, "d": True, "e": ["1.00"], "f": "2023-01-02",
    }  # fmt: skip
    with pytest.raises(TypeError):
        plain_figure({"x": 1.5})


def test_the_canonical_json_is_rfc8785_and_the_hash_its_sha256() -> None:
    figures = {"z": 1, "a": {"c": "4.24", "b": None}, "中": "文"}
    assert canonical_json(figures) == '{"a":{"b":null,"c":"4.24"},"z":1,"中":"文"}'.encode()
    assert figures_sha256(figures) == hashlib.sha256(canonical_json(figures)).hexdigest()
    assert figures_sha256({"a": Decimal("1")}) == figures_sha256({"a": "1.00"})


def test_table_figures_keep_the_rows_in_the_forms_order() -> None:
    frozen = table_figures("annex2", _annex2(), as_of=AS_OF, known_at=KNOWN_AT)
    assert frozen["annex"] == "annex2" and frozen["as_of"] == "2023-12-22" and frozen["known_at"] == KNOWN_AT.isoformat()
    assert [r["key"] for r in frozen["rows"]] == ["cumulative", "month"]
    assert frozen["rows"][0]["cells"]["fines_wan"] == "4.24" and frozen["rows"][0]["parent"] is None


def test_a_restatement_lists_exactly_the_changed_cells() -> None:
    before = table_figures("annex2", _annex2(), as_of=AS_OF, known_at=KNOWN_AT)
    assert restatement(before, before) == {"restated": False, "changes": []}
    after = table_figures("annex2", _annex2(majors_rectified=2, remediation_rate=Decimal("100")), as_of=AS_OF, known_at=None)
    result = restatement(before, after)
    assert result["restated"] is True
    assert result["changes"] == [
        {"row": "month", "row_label": "本月总计", "key": "majors_rectified", "label": "已完成治理", "submitted": 1, "now": 2},
        {"row": "month", "row_label": "本月总计", "key": "remediation_rate", "label": "治理率", "submitted": "50.00",
         "now": "100.00"},
    ]  # fmt: skip


def test_a_row_that_appears_shows_each_cell_against_null() -> None:
    before = {"annex": "annex3", "rows": []}
    after = {"annex": "annex3", "rows": [{"key": "p1", "label": "球罐区", "cells": {"name": "球罐区", "principal_phone": "1"}}]}
    changes = restatement(before, after)["changes"]
    assert [(c["key"], c["label"], c["submitted"], c["now"]) for c in changes] == [
        ("name", "风险点名称", None, "球罐区"),
        ("principal_phone", "生产经营单位主要负责人和电话", None, "1"),
    ]
    assert restatement(after, before)["changes"][0]["now"] is None


def test_submissions_have_deterministic_ids_and_stable_topics() -> None:
    assert submission_id_for("annex2", None, AS_OF, 1) == submission_id_for("annex2", "district", AS_OF, 1)
    assert len({submission_id_for("annex2", u, AS_OF, n) for u in (None, "yjj") for n in (1, 2)}) == 4
    assert ReportSubmission.ReportSubmitted.TOPIC == "hazard-ledger.ReportSubmission.ReportSubmitted"  # type: ignore[attr-defined]


def test_a_submission_round_trips_through_the_store_unchanged() -> None:
    app = Ledger(IN_MEMORY)
    figures = table_figures("annex2", _annex2(), as_of=AS_OF, known_at=KNOWN_AT)
    receipt = app.reports.submit_report(OFFICE, "annex2", None, AS_OF, figures, known_at=KNOWN_AT, note=" 旬报 ")
    assert receipt.id == submission_id_for("annex2", None, AS_OF, 1) and receipt.version == 1
    loaded = app.repository.get(receipt.id)
    assert isinstance(loaded, ReportSubmission)
    assert loaded.as_of == AS_OF and loaded.known_at == KNOWN_AT and loaded.figures == figures and loaded.note == "旬报"
    assert loaded.sha256 == figures_sha256(figures) and loaded.intact and loaded.supersedes is None
    again = app.reports.submit_report(OFFICE, "annex2", None, AS_OF, figures, known_at=KNOWN_AT)
    assert app.repository.get(again.id).supersedes == receipt.id
    view = app.reports.submission(again.id)
    assert view["sequence"] == 2 and view["sha256_verified"] and view["unit_name"] == "区安委办"
    assert [e["type"] for e in app.history(again.id)] == ["ReportSubmitted"]
    assert app.history(again.id)[0]["label_zh"] == "报送报表"


def test_the_reviewer_and_the_contact_phone_are_stored_and_a_v2_event_comes_back_with_blanks() -> None:
    app = Ledger(IN_MEMORY)
    figures = table_figures("annex2", _annex2(), as_of=AS_OF, known_at=KNOWN_AT)
    receipt = app.reports.submit_report(
        OFFICE, "annex2", None, AS_OF, figures, known_at=KNOWN_AT, reviewer=" 李审核 ", contact_phone="0871-67480000"
    )
    view = app.reports.submission(receipt.id)
    assert (view["reviewer"], view["contact_phone"]) == ("李审核", "0871-67480000")
    # the same event as stored before class_version 3: no reviewer, no contact phone
    (stored,) = app.recorder.select_events(receipt.id)
    state = json.loads(stored.state)
    assert state.pop("class_version") == 3 and state.pop("reviewer") == "李审核" and state.pop("contact_phone")
    old = app.mapper.to_domain_event(replace(stored, state=json.dumps({**state, "class_version": 2}).encode()))
    assert (old.reviewer, old.contact_phone) == ("", "") and old.sha256 == view["sha256"]


@pytest.mark.parametrize(
    ("actor", "unit", "code"),
    [(INSPECTOR, None, "outside_scope"), (INSPECTOR, "zjj", "outside_scope"), (OFFICE, "yjj", "outside_scope"),
     (STREET_OFFICER, "yjj", "outside_scope"), (OFFICE, "nowhere", "unit_not_found")],
)  # fmt: skip
def test_only_the_unit_itself_or_the_office_for_the_district_submits(actor, unit, code) -> None:
    app = Ledger(IN_MEMORY)
    with pytest.raises(DomainError) as refused:
        app.reports.submit_report(actor, "annex1", unit, AS_OF, {"rows": []}, known_at=KNOWN_AT)
    assert refused.value.code == code
    assert app.recorder.max_notification_id() in (None, 0)


def test_unknown_annexes_and_submissions_are_refused() -> None:
    app = Ledger(IN_MEMORY)
    with pytest.raises(DomainError) as refused:
        app.reports.submit_report(OFFICE, "annex4", None, AS_OF, {"rows": []}, known_at=KNOWN_AT)
    assert refused.value.code == "unknown_annex"
    with pytest.raises(DomainError) as missing:
        app.reports.submission(UUID(int=7))
    assert missing.value.code == "submission_not_found"
    with pytest.raises(DomainError) as naive:
        app.reports.submit_report(OFFICE, "annex1", None, AS_OF, {"rows": []}, known_at=datetime(2024, 1, 1))
    assert naive.value.code == "invalid_value"
