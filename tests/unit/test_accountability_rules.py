"""The accountability trail's rules at their edges: dates, items, the window, the penalty's N days,
and how a signature check's answer is read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from domain import accountability_rules as r
from domain.business_time import CHINA_TZ
from domain.signatures import SignatureCheck


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=CHINA_TZ)


INSPECTED = date(2023, 6, 10)
REPORTED = date(2023, 8, 1)


def hazard(existed_since: date | None = date(2023, 5, 20), item: str | None = "储罐区", **changes: object) -> r.HazardFacts:
    values: dict[str, object] = {
        "id": "h1", "enterprise_id": "e1", "criterion": "第十二条", "existed_since": existed_since,
        "reported_at": at(REPORTED), "item": item, "found_by": "i2",
    }  # fmt: skip
    values.update(changes)
    return r.HazardFacts(**values)  # type: ignore[arg-type]


def clean(day: date = INSPECTED, items: tuple[str, ...] = ("储罐区",), **changes: object) -> r.CleanStatement:
    values: dict[str, object] = {
        "inspection_id": "i1", "enterprise_id": "e1", "conducted_at": at(day), "clean_items": frozenset(items), "signed": True,
    }  # fmt: skip
    values.update(changes)
    return r.CleanStatement(**values)  # type: ignore[arg-type]


# ----- inspected but missed ---------------------------------------------------------------------


def test_a_clean_signed_inspection_after_the_hazard_existed_is_a_miss() -> None:
    assert r.missed(hazard(), clean())
    assert r.inspected_but_missed([hazard()], [clean()]) == [(hazard(), clean())]


@pytest.mark.parametrize(
    ("existed_since", "listed"),
    [(INSPECTED - timedelta(days=1), True), (INSPECTED, True), (INSPECTED + timedelta(days=1), False)],
)
def test_the_inspection_counts_from_the_day_the_hazard_existed(existed_since: date, listed: bool) -> None:
    assert r.missed(hazard(existed_since), clean()) is listed


def test_a_hazard_without_existed_since_is_never_a_miss() -> None:
    assert not r.missed(hazard(None), clean())


def test_only_inspections_before_the_report_count() -> None:
    assert r.missed(hazard(), clean(REPORTED - timedelta(days=1)))
    # the same day, an hour before the report: still before it
    assert r.missed(hazard(reported_at=at(REPORTED, 11)), clean(REPORTED))
    # the same moment, or after
    assert not r.missed(hazard(reported_at=at(REPORTED)), clean(REPORTED))
    assert not r.missed(hazard(), clean(REPORTED + timedelta(days=1)))


def test_the_item_must_match_when_a_finding_named_the_hazard() -> None:
    assert not r.missed(hazard(item="特种作业"), clean(items=("储罐区",)))
    assert r.missed(hazard(item="特种作业"), clean(items=("储罐区", "特种作业")))


def test_a_hazard_no_finding_lists_matches_any_clean_item() -> None:
    assert r.missed(hazard(item=None, found_by=None), clean(items=("消防",)))
    assert not r.missed(hazard(item=None, found_by=None), clean(items=()))


def test_unsigned_other_enterprise_and_the_finding_inspection_itself_never_count() -> None:
    assert not r.missed(hazard(), clean(signed=False))
    assert not r.missed(hazard(), clean(enterprise_id="e2"))
    assert not r.missed(hazard(found_by="i1"), clean())


# ----- verified but recurred --------------------------------------------------------------------

VERIFIED = at(date(2023, 6, 20), 15)
V = r.Verification("h1", "e1", " 第十二条 ", VERIFIED)


def follow(days: int, kind: str = "hazard", criterion: str = "第十二条", enterprise: str = "e1", hour: int = 10) -> r.Recurrence:
    return r.Recurrence(kind, "x", enterprise, criterion, at(VERIFIED.date() + timedelta(days=days), hour))


@pytest.mark.parametrize(("days", "listed"), [(1, True), (180, True), (181, False)])
def test_recurrence_within_the_window_the_last_day_included(days: int, listed: bool) -> None:
    assert r.recurs(V, follow(days), 180) is listed


def test_a_shorter_window_is_honoured() -> None:
    assert r.recurs(V, follow(30), 30) and not r.recurs(V, follow(31), 30)


def test_recurrence_must_come_after_the_verification() -> None:
    assert not r.recurs(V, follow(0, hour=10), 180)  # the same day, before the verification at 15:00
    assert r.recurs(V, follow(0, hour=16), 180)
    assert not r.recurs(V, follow(-3), 180)


def test_the_same_clause_and_enterprise_or_an_accident() -> None:
    assert not r.recurs(V, follow(10, criterion="第十三条"), 180)
    assert not r.recurs(V, follow(10, enterprise="e2"), 180)
    assert r.recurs(V, follow(10, kind="accident", criterion=""), 180)
    assert not r.recurs(r.Verification("h1", "e1", "", VERIFIED), follow(10, criterion=""), 180)
    assert not r.recurs(V, r.Recurrence("hazard", "h1", "e1", "第十二条", at(date(2023, 7, 1))), 180)  # itself


def test_the_list_pairs_each_verification_with_what_followed() -> None:
    pairs = r.verified_but_recurred([V], [follow(200), follow(5, kind="accident"), follow(3)], 180)
    assert [(v.hazard_id, f.kind) for v, f in pairs] == [("h1", "hazard"), ("h1", "accident")]


# ----- penalised but not rectified (以罚代管、罚而不管) ----------------------------------------------

PENALISED = at(date(2023, 6, 6))
DEADLINE = date(2023, 6, 30)
MISSED_AT = datetime(2023, 7, 1, 0, 0, tzinfo=CHINA_TZ)  # the first instant after the deadline


def lapsed(**changes: object) -> r.HazardFacts:
    """A hazard whose deadline was missed (the fold's first miss), not rectified."""
    return hazard(deadline=DEADLINE, first_missed_at=MISSED_AT, **changes)


@pytest.mark.parametrize(("as_of", "listed"), [(DEADLINE, False), (date(2023, 7, 1), True), (date(2023, 9, 1), True)])
def test_penalised_and_past_the_deadline_no_grace_by_default(as_of: date, listed: bool) -> None:
    # the facts are as of ``as_of``: on the deadline day the fold has no miss yet
    facts = lapsed() if as_of > DEADLINE else hazard(deadline=DEADLINE)
    assert r.penalised_and_overdue(PENALISED, facts, 0, as_of) is listed


def test_a_hazard_without_a_missed_deadline_is_never_listed() -> None:
    assert not r.penalised_and_overdue(PENALISED, hazard(), 0, date(2023, 9, 1))  # no plan, no deadline
    assert not r.penalised_and_overdue(PENALISED, hazard(deadline=DEADLINE), 0, date(2023, 9, 1))  # kept in time


def test_the_penalty_must_be_decided_by_the_as_of_date() -> None:
    overdue_first = lapsed()
    later = at(date(2023, 7, 10))
    assert not r.penalised_and_overdue(later, overdue_first, 0, date(2023, 7, 9))
    assert r.penalised_and_overdue(later, overdue_first, 0, date(2023, 7, 10))  # the decision's day, no grace


def test_an_optional_grace_after_the_penalty_is_local_policy() -> None:
    assert r.penalty_due(PENALISED, 0) == date(2023, 6, 6) and r.penalty_due(PENALISED, 30) == date(2023, 7, 6)
    assert not r.penalised_and_overdue(PENALISED, lapsed(), 30, date(2023, 7, 5))
    assert r.penalised_and_overdue(PENALISED, lapsed(), 30, date(2023, 7, 6))


def test_rectified_by_the_as_of_date_is_not_listed() -> None:
    verified = at(date(2023, 7, 10))
    assert r.penalised_and_overdue(PENALISED, lapsed(rectified_at=verified), 0, date(2023, 7, 8))  # still open then
    assert not r.penalised_and_overdue(PENALISED, lapsed(rectified_at=verified), 0, date(2023, 7, 10))
    citation = r.PenaltyCitation("h1", "c1", PENALISED, 7)
    assert r.penalised_but_not_rectified([citation], {"h1": lapsed()}, 0, date(2023, 7, 1)) == [(citation, lapsed())]
    assert r.penalised_but_not_rectified([citation], {"h1": lapsed(rectified_at=verified)}, 0, date(2023, 7, 20)) == []
    assert r.penalised_but_not_rectified([citation], {}, 0, date(2023, 7, 20)) == []  # not reported as of then


# ----- overdue and signatures ---------------------------------------------------------------------


def test_overdue_on_the_date_only_while_open() -> None:
    assert r.overdue_on([hazard(overdue=True)]) == [hazard(overdue=True)]
    assert r.overdue_on([hazard(overdue=True, rectified_at=at(REPORTED)), hazard(overdue=False)]) == []


@pytest.mark.parametrize(("as_of", "days"), [(DEADLINE - timedelta(days=3), 0), (DEADLINE, 0), (date(2023, 7, 1), 1)])
def test_days_overdue_are_never_negative(as_of: date, days: int) -> None:
    assert r.days_overdue(DEADLINE, as_of) == days


def test_an_event_without_a_signature_is_unsigned() -> None:
    assert r.signature_status(SimpleNamespace()) == r.UNSIGNED
    assert r.signature_status(SimpleNamespace(signature=None)) == r.UNSIGNED


def test_a_signature_is_never_called_valid_without_the_key_states() -> None:
    assert r.signature_verdict(SimpleNamespace(signature=object())) == (r.SIGNED_UNCHECKED, None)


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (SignatureCheck(True, "ok", "", ""), r.VALID),
        (SignatureCheck(False, "key_revoked", "", ""), r.KEY_REVOKED),
        (SignatureCheck(False, "signature_invalid", "", ""), r.INVALID),
        (SignatureCheck(False, "key_unknown", "", ""), r.INVALID),
        (SignatureCheck(False, "unsigned", "", ""), r.UNSIGNED),
    ],
)
def test_the_checkers_answer_is_read_honestly(answer: SignatureCheck, status: str) -> None:
    assert r.verdict_of(answer) == status
    assert r.signed_with_revoked_key(status) is (status == r.KEY_REVOKED)
