"""The demo's vocabulary: the verb a step names and the typed command it issues."""

from __future__ import annotations

from domain.commands import accidents, enforcement, hazards
from domain.commands.base import RecordCommand

# The verbs the story names for a step on an existing hazard, case or accident, and the command each
# one issues (an explicit vocabulary, by the module of its command; the record's id goes in as hazard_id, case_id or accident_id).
VERBS: dict[str, type[RecordCommand]] = {
    # hazards
    "report_to_regulator": hazards.ReportToRegulator,
    "file_plan": hazards.FilePlan,
    "record_progress": hazards.RecordProgress,
    "lift_supervision": hazards.LiftSupervision,
    "extend_deadline": hazards.ExtendDeadline,
    "record_deadline_miss": hazards.RecordDeadlineMiss,
    "complete_rectification": hazards.CompleteRectification,
    "verify": hazards.VerifyRectification,
    "close_hazard": hazards.CloseHazard,
    "void_hazard": hazards.VoidHazard,
    # enforcement cases
    "decide_penalty": enforcement.DecidePenalty,
    "impose_dual_penalty": enforcement.ImposeDualPenalty,
    "order_suspension": enforcement.OrderSuspension,
    "lift_suspension": enforcement.LiftSuspension,
    "suspend_or_revoke_licence": enforcement.SuspendOrRevokeLicence,
    "request_closure": enforcement.RequestClosure,
    "order_closure": enforcement.OrderClosure,
    "apply_industry_ban": enforcement.ApplyIndustryBan,
    "transfer_to_judiciary": enforcement.TransferToJudiciary,
    "apply_joint_punishment": enforcement.ApplyJointPunishment,
    "interview_enterprise": enforcement.InterviewEnterprise,
    "expose_case": enforcement.ExposeCase,
    "publish_as_typical": enforcement.PublishAsTypical,
    "recommend_closure": enforcement.RecommendClosure,
    "close_case": enforcement.CloseCase,
    # accidents
    "list_accident": accidents.ListAccident,
    "conclude_investigation": accidents.ConcludeInvestigation,
}
