"""Report submissions (报表报送): a submitted report is frozen (DESIGN §4).

``POST /reports/{annex}/submissions`` computes the table now (known at the system time of the request),
stores its figures and their SHA-256; ``GET /reports/submissions/{id}`` returns the frozen figures and a
restatement: the same table recomputed now, compared cell by cell — a back-dated event that changes a
past cut-off shows up there, never as a silent edit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.commands import Headers, execute, outcome_response
from api.deps import ServicesDep
from api.reads import Reads
from api.routes.reports import Reader
from api.schemas.signatures import SIGNATURE, PersonalSignatureIn  # personal signatures
from api.signing import signature_arg
from app.reports import annex_table
from app.wiring import Services
from domain.access import PHONE_FIELDS, mask_phone, mask_phones, phones_visible
from domain.commands.reports import SubmitReport
from domain.glossary import SignatureMeaning
from domain.report_submission import check_annex, restatement, table_figures
from domain.reporting_calendar import submission_warnings

router = APIRouter(tags=["reports"])


class SubmissionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"unit": "yjj", "as_of": "2023-12-22", "note": "12月22日旬报", "reviewer": "李审核",
                 "contact_phone": "0871-67480000"}
            ]  # fmt: skip
        },
    )

    unit: str | None = Field(default=None, description="reporting unit id; omit for the district (区安委办)")
    as_of: date = Field(description="cut-off business date (Beijing) of the table")
    note: str = ""
    reviewer: str = Field(default="", max_length=50, description="审核人, printed in the form's footer")
    contact_phone: str = Field(default="", max_length=30, description="联系电话 of the submitter (填报联系人), printed")
    # 报送签名. A client signature must cover the submission's id and the figures' SHA-256, known only when
    # the figures are computed: in practice use `X-Sign-With: server-held` here.
    signature: PersonalSignatureIn | None = SIGNATURE


def frozen_figures(services: Services, annex: str, unit: str | None, as_of: date, known_at: datetime) -> dict[str, Any]:
    """The table's figures as known at ``known_at`` (system time), in the frozen form."""
    services.catch_up()  # the figures as known now, frozen by a command (not a GET); refused if a model is stalled
    return table_figures(annex, annex_table(services, annex, unit, as_of, known_at), as_of=as_of, known_at=known_at)


@router.post("/reports/{annex}/submissions", status_code=201)
def submit_report(annex: str, body: SubmissionIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Submit (报送) the table of ``annex`` for ``unit`` and ``as_of``: the figures are computed now and
    frozen with their SHA-256. A unit submits its own report, the 区安委办 the district's. Returns the
    submission's id, version and sha256 (Idempotency-Key: a retry returns the first submission), and
    ``warnings`` when ``as_of`` is not one of the reporting calendar's cut-offs of the annex or lies
    outside the campaign (submitted all the same)."""
    ledger = services.ledger
    ledger.reports.check_submission(headers.actor, annex, body.unit, body.as_of)
    known_at = datetime.now(UTC)  # system time, as the events' recorded_at
    command = SubmitReport(
        annex=annex, unit=body.unit, as_of=body.as_of, figures=frozen_figures(services, annex, body.unit, body.as_of, known_at),
        known_at=known_at, note=body.note, reviewer=body.reviewer, contact_phone=body.contact_phone,
        signature=signature_arg(headers.server_signer, body.signature, SignatureMeaning.SUBMITTER),
    )  # fmt: skip
    outcome = execute(services, headers, request, body, command, status=201)
    submission = ledger.reports.submission(outcome.id)
    # A cut-off the calendar does not know, or a day outside the campaign, is submitted all the same (clerks
    # resubmit odd dates), with a warning: such a submission counts for no due report (domain/reporting_calendar.py).
    warnings = [w.as_dict() for w in submission_warnings(ledger.reference, annex, body.as_of)]
    response = outcome_response(
        outcome, sha256=submission["sha256"], sequence=submission["sequence"], known_at=submission["known_at"], warnings=warnings
    )
    response.headers["Location"] = f"/api/v1/reports/submissions/{outcome.id}"
    return response


@router.get("/reports/{annex}/submissions")
def list_submissions(
    annex: str,
    reads: Reads,
    unit: Annotated[str | None, Query(description="a unit id, or 'district' for the roll-up; omit for all")] = None,
    as_of: Annotated[date | None, Query(description="one cut-off; omit for all")] = None,
) -> dict[str, Any]:
    """Submissions of one annex, newest first (without the figures): a unit's staff see their unit's only."""
    check_annex(annex)
    return {"annex": annex, "items": reads.submissions(annex, unit=unit, as_of=as_of)}


@router.get("/reports/submissions/{submission_id}")
def get_submission(submission_id: UUID, services: ServicesDep, who: Reader, reads: Reads) -> dict[str, Any]:
    """The frozen figures (and whether they still match their SHA-256) and the restatement: the same table
    recomputed now (known_at = now), compared cell by cell with what was submitted."""
    submission = reads.submission(submission_id)
    annex, as_of = submission["annex"], date.fromisoformat(submission["as_of"])
    now = datetime.now(UTC)
    current = frozen_figures(services, annex, submission["unit"], as_of, now)
    result = restatement(submission["figures"], current)
    result["recomputed_known_at"] = now.isoformat()
    if annex == "annex3" and not phones_visible(who):
        mask_phones([row["cells"] for row in submission["figures"]["rows"]])
        for change in result["changes"]:
            if change["key"] in PHONE_FIELDS:
                for side in ("submitted", "now"):
                    if isinstance(change[side], str):
                        change[side] = mask_phone(change[side])
        submission["phones_masked"] = True
    return {**submission, "restatement": result}
