"""The demo's vocabulary: the verb a step names and the typed command it issues."""

from __future__ import annotations

from domain.commands.accidents import ConcludeInvestigation, ListAccident
from domain.commands.base import RecordCommand
from domain.commands.enforcement import (
    ApplyIndustryBan,
    ApplyJointPunishment,
    CloseCase,
    DecidePenalty,
    ExposeCase,
    ImposeDualPenalty,
    InterviewEnterprise,
    LiftSuspension,
    OrderClosure,
    OrderSuspension,
    PublishAsTypical,
    RecommendClosure,
    RequestClosure,
    SuspendOrRevokeLicence,
    TransferToJudiciary,
)
from domain.commands.hazards import (
    CloseHazard,
    CompleteRectification,
    ExtendDeadline,
    FilePlan,
    LiftSupervision,
    MarkDeadlineMissed,
    RecordProgress,
    ReportToRegulator,
    VerifyRectification,
    VoidHazard,
)

# The verbs the story names for a step on an existing hazard, case or accident, and the command each
# one issues (an explicit vocabulary; the record's id goes in as hazard_id, case_id or accident_id).
VERBS: dict[str, type[RecordCommand]] = {
    # hazards
    "report_to_regulator": ReportToRegulator,
    "file_plan": FilePlan,
    "record_progress": RecordProgress,
    "lift_supervision": LiftSupervision,
    "extend_deadline": ExtendDeadline,
    "mark_deadline_missed": MarkDeadlineMissed,
    "complete_rectification": CompleteRectification,
    "verify": VerifyRectification,
    "close_hazard": CloseHazard,
    "void_hazard": VoidHazard,
    # enforcement cases
    "decide_penalty": DecidePenalty,
    "impose_dual_penalty": ImposeDualPenalty,
    "order_suspension": OrderSuspension,
    "lift_suspension": LiftSuspension,
    "suspend_or_revoke_licence": SuspendOrRevokeLicence,
    "request_closure": RequestClosure,
    "order_closure": OrderClosure,
    "apply_industry_ban": ApplyIndustryBan,
    "transfer_to_judiciary": TransferToJudiciary,
    "apply_joint_punishment": ApplyJointPunishment,
    "interview_enterprise": InterviewEnterprise,
    "expose_case": ExposeCase,
    "publish_as_typical": PublishAsTypical,
    "recommend_closure": RecommendClosure,
    "close_case": CloseCase,
    # accidents
    "list_accident": ListAccident,
    "conclude_investigation": ConcludeInvestigation,
}
