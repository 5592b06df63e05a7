"""The graded warning of a reporting unit (UnitWarning, 分级警示): proposed by the safety committee
office (the ladder's proposals are derived, never stored: deciding one records it, by the office),
confirmed or dismissed by the office alone, nothing after that; one stream per (unit, level, trigger
key), so the same trigger proposed twice is ``warning_exists``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.aggregate_base import event_classes
from domain.errors import CATALOGUE, ErrorKind
from domain.glossary import ACTION_LABELS, EVENT_LABELS, WarningLevel, WarningState, WarningTrigger
from domain.unit_warning import UnitWarning, warning_id_for
from domain.warning_rules import Proposal

from .support import AUDITOR, EXPERT, INSPECTOR, OFFICE, START, STREET_OFFICER, SYSTEM, World, refuse_viewed


def propose(world: World, by=OFFICE, **kw) -> UUID:
    values = {
        "unit_id": "yjj",
        "level": "notice",
        "trigger": "deadline_missed",
        "trigger_key": "deadline_missed:h1:2023-06-10",
        "trigger_refs": [UUID(int=1)],
        "reason_zh": "重大事故隐患整改期限 2023-06-10 已过，逾期未整改",
        "reason_en": "Major hazard not rectified by its deadline 2023-06-10",
    }
    values.update(kw)
    return world.app.warnings.propose_warning(by, **values).id


def refuse(world: World, warning_id: UUID, code: str, command):
    return refuse_viewed(world, warning_id, code, command, world.app.warnings.warning)


@pytest.fixture
def warning(world: World) -> UUID:
    return propose(world)


def test_a_proposal_records_the_unit_level_trigger_refs_and_reasons(world: World, warning: UUID):
    view = world.app.warnings.warning(warning)
    assert world.types(warning) == ["WarningProposed"]
    assert view["unit_id"] == "yjj" and view["unit_name"] == "区应急管理局"
    assert (view["level"], view["level_zh"]) == ("notice", "告知")
    assert (view["trigger"], view["trigger_zh"]) == ("deadline_missed", "重大事故隐患逾期未整改（整改不到位）")
    assert view["trigger_refs"] == [str(UUID(int=1))]
    assert (view["state"], view["state_zh"]) == ("proposed", "待确认")
    assert view["proposed_at"] == START.isoformat() and view["proposed_by"]["role"] == "committee_office"
    assert view["version"] == 1 and not view["published"]


def test_the_id_is_a_uuid5_of_unit_level_and_trigger_key(world: World, warning: UUID):
    assert warning == warning_id_for("yjj", WarningLevel.NOTICE, "deadline_missed:h1:2023-06-10")
    assert warning != warning_id_for("wulong", "notice", "deadline_missed:h1:2023-06-10")
    assert warning != warning_id_for("yjj", "interview", "deadline_missed:h1:2023-06-10")


def test_the_same_trigger_proposed_twice_is_refused_and_appends_nothing(world: World, warning: UUID):
    error = world.refuse_new("warning_exists", lambda: propose(world))
    assert "deadline_missed:h1:2023-06-10" in error.message_zh
    world.refuse_new("warning_exists", lambda: propose(world, by=OFFICE, reason_zh="另一个原因", trigger_refs=[]))
    # Another level or unit for the same key is another warning.
    assert propose(world, level="interview", trigger="repeated_warnings") != warning
    assert propose(world, unit_id="wulong") != warning


def test_the_office_may_propose_too_and_nobody_else(world: World):
    assert propose(world, by=OFFICE, trigger="manual", trigger_key="manual:2023-06-01-1")
    for actor in (SYSTEM, INSPECTOR, STREET_OFFICER, EXPERT, AUDITOR, world.principal):
        world.refuse_new("role_not_allowed", lambda a=actor: propose(world, by=a, trigger_key=f"k-{a.user_id}"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"unit_id": "ajb"}, "invalid_value"),  # the office warns, it is not warned
        ({"unit_id": "nowhere"}, "unknown_department"),
        ({"level": "reprimand"}, "invalid_value"),
        ({"trigger": "whim"}, "invalid_value"),
        ({"trigger_key": "  "}, "invalid_value"),
        ({"reason_zh": ""}, "invalid_value"),
        ({"reason_en": " "}, "invalid_value"),
        ({"trigger_refs": ["not-a-uuid"]}, "invalid_value"),
        ({"occurred_at": START + timedelta(minutes=1)}, "occurred_in_future"),
    ],
)
def test_a_bad_proposal_is_refused(world: World, changes, code):
    world.refuse_new(code, lambda: propose(world, **{"trigger_key": "bad", **changes}))


def test_the_office_confirms_with_a_note_and_whether_it_is_published(world: World, warning: UUID):
    receipt = world.accept(warning, "WarningConfirmed", lambda: world.app.warnings.confirm_warning(
        OFFICE, warning, note="予以告知", published=True, expected_version=1))  # fmt: skip
    assert receipt.version == 2
    view = world.app.warnings.warning(warning)
    assert (view["state"], view["state_zh"], view["published"], view["note"]) == ("confirmed", "已确认", True, "予以告知")
    assert view["decided_by"]["user_id"] == OFFICE.user_id and view["decided_at"] == START.isoformat()


def test_the_office_dismisses_with_a_reason(world: World, warning: UUID):
    refuse(world, warning, "invalid_value", lambda: world.app.warnings.dismiss_warning(OFFICE, warning, reason="  "))
    world.accept(warning, "WarningDismissed", lambda: world.app.warnings.dismiss_warning(OFFICE, warning, reason="已批准延期"))
    view = world.app.warnings.warning(warning)
    assert (view["state"], view["dismissal_reason"], view["published"]) == ("dismissed", "已批准延期", False)


@pytest.mark.parametrize("actor", [SYSTEM, INSPECTOR, STREET_OFFICER, EXPERT, AUDITOR])
def test_only_the_office_decides(world: World, warning: UUID, actor):
    refuse(world, warning, "role_not_allowed", lambda: world.app.warnings.confirm_warning(actor, warning))
    refuse(world, warning, "role_not_allowed", lambda: world.app.warnings.dismiss_warning(actor, warning, reason="不予警示"))


@pytest.mark.parametrize("decide", ["confirm", "dismiss"])
def test_nothing_is_accepted_after_the_decision(world: World, warning: UUID, decide: str):
    if decide == "confirm":
        world.app.warnings.confirm_warning(OFFICE, warning)
    else:
        world.app.warnings.dismiss_warning(OFFICE, warning, reason="不予警示")
    error = refuse(world, warning, "warning_decided", lambda: world.app.warnings.confirm_warning(OFFICE, warning, published=True))
    assert error.kind is ErrorKind.CONFLICT and error.message_zh.startswith("该警示已作出决定")
    refuse(world, warning, "warning_decided", lambda: world.app.warnings.dismiss_warning(OFFICE, warning, reason="again"))


def test_stale_versions_back_dating_and_unknown_warnings_are_refused(world: World, warning: UUID):
    refuse(world, warning, "version_conflict", lambda: world.app.warnings.confirm_warning(OFFICE, warning, expected_version=2))
    refuse(world, warning, "occurred_out_of_order", lambda: world.app.warnings.confirm_warning(
        OFFICE, warning, occurred_at=START - timedelta(hours=1)))  # fmt: skip
    refuse(world, warning, "invalid_value", lambda: world.app.warnings.confirm_warning(OFFICE, warning, published="yes"))  # type: ignore[arg-type]
    for command in (
        lambda: world.app.warnings.warning(uuid4()),
        lambda: world.app.warnings.confirm_warning(OFFICE, uuid4()),
        lambda: world.app.warnings.dismiss_warning(OFFICE, world.enterprise_id, reason="x"),  # another kind of record
    ):
        world.refuse_new("warning_not_found", command)


def test_the_events_have_stable_topics_labels_and_a_catalogued_not_found_code(world: World, warning: UUID):
    assert set(event_classes(UnitWarning)) == {"WarningProposed", "WarningConfirmed", "WarningDismissed"}
    for name, cls in event_classes(UnitWarning).items():
        assert f"hazard-ledger.UnitWarning.{name}" == cls.TOPIC and EVENT_LABELS[name].strip()  # type: ignore[attr-defined]
    assert UnitWarning.not_found_code == "warning_not_found" and "warning_not_found" in CATALOGUE
    for action in ("propose_warning", "confirm_warning", "dismiss_warning"):
        assert ACTION_LABELS[action].strip()
    world.app.warnings.confirm_warning(OFFICE, warning, published=True)
    world.app.repository.cache = None  # type: ignore[attr-defined]
    reloaded = world.app.repository.get(warning)
    assert (reloaded.level, reloaded.trigger, reloaded.state) == (
        WarningLevel.NOTICE,
        WarningTrigger.DEADLINE_MISSED,
        WarningState.CONFIRMED,
    )
    assert reloaded.trigger_refs == [UUID(int=1)] and reloaded.published is True
    history = world.app.history(warning)
    assert history[0]["data"]["trigger_refs"] == [str(UUID(int=1))] and history[1]["label_zh"] == "确认分级警示"


# ----- the ladder's derived proposals: recorded when the office decides one -------------------------

LADDER = Proposal(
    unit_id="wulong",
    level=WarningLevel.NOTICE,
    trigger=WarningTrigger.DEADLINE_MISSED,
    trigger_key="deadline_missed:h9:2023-05-20",
    refs=(UUID(int=9),),
    fact_on=date(2023, 5, 21),
    reason_zh="重大事故隐患整改期限 2023-05-20 已过，逾期未整改",
    reason_en="Major hazard not rectified by its deadline 2023-05-20",
)
LADDER_ID = warning_id_for(LADDER.unit_id, LADDER.level, LADDER.trigger_key)


class Ladder:
    """The ``proposals`` port: the ladder's proposal as of a business time (the read model's job)."""

    def __init__(self, *found: Proposal) -> None:
        self.found = {warning_id_for(p.unit_id, p.level, p.trigger_key): p for p in found}
        self.asked: list[tuple[UUID, datetime]] = []

    def proposal(self, warning_id: UUID, at: datetime) -> Proposal | None:
        self.asked.append((warning_id, at))
        return self.found.get(warning_id)


@pytest.mark.parametrize("decide", ["confirm", "dismiss"])
def test_deciding_a_ladder_proposal_records_it_by_the_office_with_the_decision(world: World, decide: str):
    ladder = Ladder(LADDER)
    world.app.warnings.proposals = ladder
    if decide == "confirm":
        receipt = world.app.warnings.confirm_warning(OFFICE, LADDER_ID, note="予以告知", expected_version=0)
    else:
        receipt = world.app.warnings.dismiss_warning(OFFICE, LADDER_ID, reason="已批准延期")
    assert (receipt.id, receipt.version) == (LADDER_ID, 2)
    assert world.types(LADDER_ID) == ["WarningProposed", "WarningConfirmed" if decide == "confirm" else "WarningDismissed"]
    assert ladder.asked == [(LADDER_ID, START)]  # as of the decision's business time
    view = world.app.warnings.warning(LADDER_ID)
    assert view["proposed_by"]["role"] == "committee_office" and view["proposed_at"] == START.isoformat()
    assert (view["unit_id"], view["trigger_refs"]) == ("wulong", [str(UUID(int=9))])
    assert view["state"] == ("confirmed" if decide == "confirm" else "dismissed")
    # once recorded, the stored warning is what is decided: a second decision is refused
    refuse(world, LADDER_ID, "warning_decided", lambda: world.app.warnings.confirm_warning(OFFICE, LADDER_ID))


def test_a_ladder_proposal_is_decided_by_the_office_only_and_unknown_ids_stay_not_found(world: World):
    world.app.warnings.proposals = Ladder(LADDER)
    for actor in (SYSTEM, INSPECTOR, AUDITOR):
        world.refuse_new("role_not_allowed", lambda a=actor: world.app.warnings.confirm_warning(a, LADDER_ID))
    world.refuse_new("warning_not_found", lambda: world.app.warnings.confirm_warning(OFFICE, uuid4()))
    world.refuse_new("version_conflict", lambda: world.app.warnings.confirm_warning(OFFICE, LADDER_ID, expected_version=1))
    world.refuse_new("warning_not_found", lambda: world.app.warnings.warning(LADDER_ID))  # nothing was recorded
