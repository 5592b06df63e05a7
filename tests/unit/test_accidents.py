"""Production safety accidents (生产安全事故, DESIGN §3.4): what the warning ladder and the veto flags
read — grade, deaths, liability, the listing level — and the reporting units an accident counts for.

Every refusal goes through ``refuse_viewed`` (exact code, nothing appended anywhere) or
``World.refuse_new`` for a refused report.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from domain.accident import Accident, implied_grade
from domain.glossary import AccidentGrade, SupervisionLevel

from .support import (
    AUDITOR,
    EXPERT,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_STREET,
    START,
    STREET_OFFICER,
    World,
    refuse_viewed,
    report_accident,
)


def refuse(world: World, accident_id: UUID, code: str, command):
    return refuse_viewed(world, accident_id, code, command, world.app.accidents.accident)


def list_accident(world: World, accident_id: UUID, level: str = "district", by=OFFICE, **kw):
    values = {"level": level, "supervising_body": "区安委会", "document_number": "呈安委〔2023〕21号"}
    values.update(kw)
    return world.app.accidents.list_accident(by, accident_id, **values)


@pytest.fixture
def accident(world: World) -> UUID:
    return report_accident(world)


# ----- reporting --------------------------------------------------------------------------------


def test_an_accident_at_an_enterprise_takes_its_sector_and_territory(world: World):
    when = START - timedelta(days=2, hours=3)
    accident_id = report_accident(world, occurred_at=when, injuries=2, direct_loss_yuan=150_000, liability=True)
    view = world.app.accidents.accident(accident_id)
    assert world.types(accident_id) == ["AccidentReported"]
    assert view["enterprise_id"] == str(world.enterprise_id)
    assert (view["sector"], view["jurisdiction"]) == ("hazardous_chemicals", "wulong")
    assert (view["sector_name"], view["jurisdiction_name"]) == ("化工和危化品", "乌龙街道")
    assert view["occurred_at"] == when.isoformat()
    assert (view["grade"], view["grade_zh"]) == ("general", "一般事故")
    assert (view["deaths"], view["injuries"], view["direct_loss_yuan"]) == (0, 2, 150_000)
    assert view["liability"] is True and view["liability_reported"] is True
    assert view["fatal"] is False
    assert view["listed"] is False and view["listing_level"] is None and view["listings"] == []
    assert view["investigation_concluded"] is False and view["liability_confirmed"] is None
    assert view["reported_by"]["user_id"] == INSPECTOR.user_id
    assert view["location"] == "装卸站台"


def test_an_accident_counts_for_the_sector_lead_and_the_territory(world: World, accident: UUID):
    # DESIGN §5: the first lead department of the sector row, and the street.
    assert world.app.accidents.accident(accident)["counts_for"] == ["yjj", "wulong"]


def test_an_accident_without_an_enterprise_names_its_sector_and_territory(world: World):
    accident_id = report_accident(
        world, by=STREET_OFFICER, enterprise_id=None, sector="transport", jurisdiction="wulong", description="道路交通事故"
    )
    view = world.app.accidents.accident(accident_id)
    assert view["enterprise_id"] is None
    assert view["counts_for"] == ["jtj", "wulong"]


@pytest.mark.parametrize("missing", ["sector", "jurisdiction"])
def test_an_accident_without_an_enterprise_needs_sector_and_territory(world: World, missing: str):
    values = {"sector": "transport", "jurisdiction": "wulong", missing: None}
    error = world.refuse_new("invalid_value", lambda: report_accident(world, by=OFFICE, enterprise_id=None, **values))
    assert error.details["field"] == missing


def test_an_accident_at_a_site_in_another_territory_counts_there(world: World):
    accident_id = report_accident(world, by=OFFICE, jurisdiction="longcheng")
    assert world.app.accidents.accident(accident_id)["counts_for"] == ["yjj", "longcheng"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("sector", "no_such_row", "unknown_sector"),
        ("jurisdiction", "atlantis", "unknown_jurisdiction"),
        ("enterprise_id", uuid4(), "enterprise_not_found"),
    ],
)
def test_unknown_references_are_refused(world: World, field: str, value, code: str):
    world.refuse_new(code, lambda: report_accident(world, by=OFFICE, **{field: value}))


@pytest.mark.parametrize(
    ("grade", "deaths", "loss"),
    [
        (AccidentGrade.GENERAL, 2, 9_999_999),
        (AccidentGrade.LARGER, 3, 0),
        (AccidentGrade.LARGER, 0, 10_000_000),
        (AccidentGrade.MAJOR, 10, 0),
        (AccidentGrade.MAJOR, 0, 50_000_000),
        (AccidentGrade.ESPECIALLY_MAJOR, 30, 0),
        (AccidentGrade.ESPECIALLY_MAJOR, 0, 100_000_000),
    ],
)
def test_each_grade_is_accepted_with_figures_that_allow_it(world: World, grade: AccidentGrade, deaths: int, loss: int):
    accident_id = report_accident(world, grade=grade, deaths=deaths, direct_loss_yuan=loss)
    assert world.app.accidents.accident(accident_id)["grade"] == grade.value


def test_a_grade_above_what_the_figures_imply_is_accepted(world: World):
    # e.g. 10 or more serious injuries make an accident 较大 with no deaths.
    accident_id = report_accident(world, grade="larger", deaths=0, injuries=12, direct_loss_yuan=0)
    assert world.app.accidents.accident(accident_id)["grade_zh"] == "较大事故"


@pytest.mark.parametrize(
    ("grade", "deaths", "loss", "implied", "basis"),
    [
        ("general", 3, 0, "larger", "deaths"),
        ("larger", 10, 0, "major", "deaths"),
        ("major", 30, 0, "especially_major", "deaths"),
        ("general", 0, 10_000_000, "larger", "direct_loss_yuan"),
        ("larger", 1, 50_000_000, "major", "direct_loss_yuan"),
        ("general", 12, 100_000_000, "especially_major", "direct_loss_yuan"),
    ],
)
def test_a_grade_below_what_deaths_or_loss_imply_is_refused(world: World, grade, deaths, loss, implied, basis):
    error = world.refuse_new(
        "accident_grade_too_low", lambda: report_accident(world, grade=grade, deaths=deaths, direct_loss_yuan=loss)
    )
    assert (error.details["implied"], error.details["basis"]) == (implied, basis)
    assert error.details["implied_zh"] in error.message_zh


def test_the_implied_grade_uses_the_regulations_lower_bounds():
    assert implied_grade(0, 0) == (AccidentGrade.GENERAL, "")
    assert implied_grade(2, 9_999_999)[0] is AccidentGrade.GENERAL
    assert implied_grade(3, 0) == (AccidentGrade.LARGER, "deaths")
    assert implied_grade(29, 99_999_999)[0] is AccidentGrade.MAJOR
    assert implied_grade(30, 0)[0] is AccidentGrade.ESPECIALLY_MAJOR


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("grade", "catastrophic"),
        ("deaths", -1),
        ("injuries", -1),
        ("direct_loss_yuan", -1),
        ("deaths", 1.0),
        ("injuries", True),
        ("direct_loss_yuan", "100"),
        ("liability", "yes"),
        ("description", "  "),
    ],
)
def test_invalid_figures_are_refused_by_field(world: World, field: str, value):
    error = world.refuse_new("invalid_value", lambda: report_accident(world, **{field: value}))
    assert error.details["field"] == field


@pytest.mark.parametrize("actor", [AUDITOR, EXPERT], ids=lambda a: a.role.value)
def test_auditors_and_experts_do_not_report_accidents(world: World, actor):
    world.refuse_new("role_not_allowed", lambda: report_accident(world, by=actor))


def test_an_enterprise_does_not_record_accidents_in_the_ledger(world: World):
    world.refuse_new("role_not_allowed", lambda: report_accident(world, by=world.principal))


@pytest.mark.parametrize("actor", [OTHER_DEPARTMENT, OTHER_STREET], ids=lambda a: a.organisation_id)
def test_an_accident_outside_the_reporters_sectors_or_territory_is_refused(world: World, actor):
    world.refuse_new("outside_scope", lambda: report_accident(world, by=actor))


@pytest.mark.parametrize("actor", [INSPECTOR, STREET_OFFICER, OFFICE], ids=lambda a: a.organisation_id)
def test_the_sector_lead_the_street_and_the_office_may_report(world: World, actor):
    assert world.types(report_accident(world, by=actor)) == ["AccidentReported"]


def test_an_accident_in_the_future_is_refused(world: World):
    world.refuse_new("occurred_in_future", lambda: report_accident(world, occurred_at=START + timedelta(minutes=1)))


def test_an_unknown_accident_is_not_found(world: World):
    world.refuse_new("accident_not_found", lambda: world.app.accidents.accident(uuid4()))
    world.refuse_new("accident_not_found", lambda: list_accident(world, uuid4()))


def test_a_record_of_another_kind_is_not_an_accident(world: World):
    world.refuse_new("accident_not_found", lambda: world.app.accidents.accident(world.enterprise_id))


# ----- listing for supervision (挂牌督办的事故) -------------------------------------------------------


def test_the_office_lists_an_accident_with_its_level_body_and_document(world: World, accident: UUID):
    world.accept(accident, "AccidentListed", lambda: list_accident(world, accident, "district"))
    view = world.app.accidents.accident(accident)
    assert view["listed"] is True
    assert (view["listing_level"], view["listing_level_zh"]) == ("district", "区级挂牌督办")
    assert view["listings"] == [
        {
            "level": "district",
            "supervising_body": "区安委会",
            "document_number": "呈安委〔2023〕21号",
            "listed_at": START.isoformat(),
        }
    ]


def test_a_higher_level_may_list_an_accident_listed_lower_down(world: World, accident: UUID):
    list_accident(world, accident, "district")
    world.accept(accident, "AccidentListed", lambda: list_accident(world, accident, SupervisionLevel.CITY))
    world.accept(accident, "AccidentListed", lambda: list_accident(world, accident, "province"))
    view = world.app.accidents.accident(accident)
    assert view["listing_level"] == "province"
    assert [entry["level"] for entry in view["listings"]] == ["district", "city", "province"]


@pytest.mark.parametrize(
    ("first", "again"), [("district", "district"), ("city", "city"), ("city", "district"), ("province", "city")]
)
def test_listing_again_at_the_same_or_a_lower_level_is_refused(world: World, accident: UUID, first: str, again: str):
    list_accident(world, accident, first)
    error = refuse(world, accident, "accident_already_listed", lambda: list_accident(world, accident, again))
    assert error.details["level"] == first


@pytest.mark.parametrize("field", ["supervising_body", "document_number"])
def test_a_listing_names_its_body_and_document(world: World, accident: UUID, field: str):
    error = refuse(world, accident, "invalid_value", lambda: list_accident(world, accident, **{field: " "}))
    assert error.details["field"] == field


def test_an_unknown_listing_level_is_refused(world: World, accident: UUID):
    refuse(world, accident, "invalid_value", lambda: list_accident(world, accident, "county"))


@pytest.mark.parametrize("actor", [INSPECTOR, STREET_OFFICER, AUDITOR], ids=lambda a: a.role.value)
def test_only_the_committee_office_records_a_listing(world: World, accident: UUID, actor):
    refuse(world, accident, "role_not_allowed", lambda: list_accident(world, accident, by=actor))


def test_a_listing_dated_before_the_accident_is_refused(world: World):
    accident_id = report_accident(world, occurred_at=START - timedelta(days=1))
    refuse(
        world,
        accident_id,
        "occurred_out_of_order",
        lambda: list_accident(world, accident_id, occurred_at=START - timedelta(days=2)),
    )


def test_a_stale_expected_version_is_refused(world: World, accident: UUID):
    list_accident(world, accident)
    error = refuse(world, accident, "version_conflict", lambda: list_accident(world, accident, "city", expected_version=1))
    assert error.details == {"expected": 1, "actual": 2}


# ----- the investigation's conclusion --------------------------------------------------------------


def test_an_investigation_confirms_liability_and_names_the_responsible(world: World, accident: UUID):
    world.accept(
        accident,
        "AccidentInvestigationConcluded",
        lambda: world.app.accidents.conclude_investigation(
            INSPECTOR, accident, liability=True, responsible_persons=[" 张总 ", "", "刘安全员"], summary="违章指挥"
        ),
    )
    view = world.app.accidents.accident(accident)
    assert view["liability_reported"] is False  # as first reported
    assert view["liability"] is True and view["liability_confirmed"] is True  # the conclusion prevails
    assert view["responsible_persons"] == ["张总", "刘安全员"]
    assert view["investigation_summary"] == "违章指挥"
    assert view["investigation_concluded"] is True


def test_an_investigation_may_find_no_liability(world: World):
    accident_id = report_accident(world, liability=True)
    world.app.accidents.conclude_investigation(OFFICE, accident_id, liability=False, responsible_persons=[], summary="自然灾害")
    view = world.app.accidents.accident(accident_id)
    assert view["liability"] is False and view["liability_confirmed"] is False


def test_a_liability_conclusion_without_responsible_persons_is_refused(world: World, accident: UUID):
    error = refuse(
        world,
        accident,
        "invalid_value",
        lambda: world.app.accidents.conclude_investigation(INSPECTOR, accident, liability=True, responsible_persons=[" "]),
    )
    assert error.details["field"] == "responsible_persons"


def test_a_conclusion_without_liability_names_nobody(world: World, accident: UUID):
    refuse(
        world,
        accident,
        "invalid_value",
        lambda: world.app.accidents.conclude_investigation(INSPECTOR, accident, liability=False, responsible_persons=["张总"]),
    )


def test_an_investigation_concludes_once(world: World, accident: UUID):
    world.app.accidents.conclude_investigation(INSPECTOR, accident, liability=True, responsible_persons=["张总"])
    refuse(
        world,
        accident,
        "investigation_already_concluded",
        lambda: world.app.accidents.conclude_investigation(INSPECTOR_2, accident, liability=False, responsible_persons=[]),
    )


def test_a_listing_may_follow_the_conclusion(world: World, accident: UUID):
    world.app.accidents.conclude_investigation(INSPECTOR, accident, liability=True, responsible_persons=["张总"])
    world.accept(accident, "AccidentListed", lambda: list_accident(world, accident))


@pytest.mark.parametrize(("actor", "code"), [(STREET_OFFICER, "role_not_allowed"), (OTHER_DEPARTMENT, "outside_scope")])
def test_who_may_record_the_conclusion(world: World, accident: UUID, actor, code: str):
    refuse(
        world,
        accident,
        code,
        lambda: world.app.accidents.conclude_investigation(actor, accident, liability=True, responsible_persons=["张总"]),
    )


# ----- what is stored ----------------------------------------------------------------------------


def test_the_stored_events_decode_to_their_types(world: World):
    accident_id = report_accident(world, grade="larger", deaths=3, liability=True)
    list_accident(world, accident_id, "city")
    world.app.accidents.conclude_investigation(INSPECTOR, accident_id, liability=True, responsible_persons=["张总"])
    events = {type(e).__name__: e for e in world.app.repository.event_store.get(accident_id)}
    reported = events["AccidentReported"]
    assert reported.enterprise_id == world.enterprise_id and isinstance(reported.enterprise_id, UUID)
    assert (reported.grade, reported.deaths, reported.liability) == ("larger", 3, True)
    assert events["AccidentListed"].level == "city"
    assert events["AccidentInvestigationConcluded"].responsible_persons == ["张总"]
    reloaded = world.app.repository.get(accident_id)
    assert isinstance(reloaded, Accident)
    assert reloaded.grade is AccidentGrade.LARGER and reloaded.listing_level is SupervisionLevel.CITY
    assert reloaded.fatal and reloaded.liability


def test_a_road_accident_without_an_enterprise_stores_none(world: World):
    accident_id = report_accident(world, by=OFFICE, enterprise_id=None, sector="transport", jurisdiction="dayu")
    (reported,) = world.app.repository.event_store.get(accident_id)
    assert reported.enterprise_id is None


def test_grade_labels_are_those_of_the_regulation():
    assert [g.zh for g in AccidentGrade] == ["一般事故", "较大事故", "重大事故", "特别重大事故"]
    assert [g.value for g in AccidentGrade] == ["general", "larger", "major", "especially_major"]
