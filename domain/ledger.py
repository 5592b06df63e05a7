"""The hazard ledger (事故隐患台账): one application per context over one event store, and the one map
from command to handler.

Every command either appends events or raises a ``DomainError``; a refused command appends nothing.
Queries return plain dicts (``domain/views.py``), never aggregates. People's commands arrive through the
command pipeline (``app/pipeline.py``), which calls :meth:`Ledger.execute`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository
from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.access import check_role_organisation
from domain.actor import Actor
from domain.bounds import check_actor, check_bounds
from domain.business_time import Clock, business_date
from domain.commands import accidents as accidents_commands
from domain.commands import accountability as accountability_commands
from domain.commands import documents as documents_commands
from domain.commands import enforcement as enforcement_commands
from domain.commands import enterprises as enterprises_commands
from domain.commands import hazards as hazards_commands
from domain.commands import inspections as inspections_commands
from domain.commands import ledger_imports as ledger_imports_commands
from domain.commands import reports as reports_commands
from domain.commands import risks as risks_commands
from domain.commands import signing_keys as signing_keys_commands
from domain.commands import warnings as warnings_commands
from domain.commands import work_logs as work_logs_commands
from domain.commands.base import Command, RecordCommand
from domain.evidence import EvidenceStore
from domain.reference_data import LedgerRules, ReferenceData, load_reference
from domain.services.accidents import AccidentApplication
from domain.services.accountability import AccountabilityApplication
from domain.services.core import LedgerCore, Receipt
from domain.services.documents import DocumentApplication
from domain.services.enforcement import EnforcementApplication
from domain.services.enterprises import EnterpriseApplication
from domain.services.hazards import HazardApplication
from domain.services.inspections import InspectionApplication
from domain.services.ledger_imports import LedgerImportApplication
from domain.services.reports import ReportApplication
from domain.services.risks import RiskApplication
from domain.services.signing_keys import SigningKeyApplication
from domain.services.warnings import WarningApplication
from domain.services.work_logs import WorkLogApplication
from domain.unit_of_work import UnitOfWork

__all__ = ["HANDLERS", "Ledger", "Receipt"]

# The one handler map: every command type and the method of the context's application that handles it.
HANDLERS: dict[type[Command], Callable[..., Receipt]] = {
    # accidents (生产安全事故)
    accidents_commands.ReportAccident: AccidentApplication.report_accident,
    accidents_commands.ListAccident: AccidentApplication.list_accident,
    accidents_commands.ConcludeInvestigation: AccidentApplication.conclude_investigation,
    # accountability decisions (责任倒查、追责问责)
    accountability_commands.PursueAccountability: AccountabilityApplication.pursue_accountability,
    # official documents (文书): issued, delivered (送达), received (签收)
    documents_commands.IssueDocument: DocumentApplication.issue_document,
    documents_commands.DeliverDocument: DocumentApplication.deliver_document,
    documents_commands.ReceiveDocument: DocumentApplication.receive_document,
    # enforcement cases (执法案件) and publication batches (分批公布)
    enforcement_commands.OpenCase: EnforcementApplication.open_case,
    enforcement_commands.DecidePenalty: EnforcementApplication.decide_penalty,
    enforcement_commands.ImposeDualPenalty: EnforcementApplication.impose_dual_penalty,
    enforcement_commands.OrderSuspension: EnforcementApplication.order_suspension,
    enforcement_commands.LiftSuspension: EnforcementApplication.lift_suspension,
    enforcement_commands.SuspendOrRevokeLicence: EnforcementApplication.suspend_or_revoke_licence,
    enforcement_commands.RequestClosure: EnforcementApplication.request_closure,
    enforcement_commands.OrderClosure: EnforcementApplication.order_closure,
    enforcement_commands.ApplyIndustryBan: EnforcementApplication.apply_industry_ban,
    enforcement_commands.TransferToJudiciary: EnforcementApplication.transfer_to_judiciary,
    enforcement_commands.ApplyJointPunishment: EnforcementApplication.apply_joint_punishment,
    enforcement_commands.InterviewEnterprise: EnforcementApplication.interview_enterprise,
    enforcement_commands.ExposeCase: EnforcementApplication.expose_case,
    enforcement_commands.PublishAsTypical: EnforcementApplication.publish_as_typical,
    enforcement_commands.RecommendClosure: EnforcementApplication.recommend_closure,
    enforcement_commands.CloseCase: EnforcementApplication.close_case,
    enforcement_commands.PublishBatch: EnforcementApplication.publish_batch,
    # enterprises (生产经营单位)
    enterprises_commands.RegisterEnterprise: EnterpriseApplication.register_enterprise,
    enterprises_commands.ChangePrincipal: EnterpriseApplication.change_principal,
    # the hazard lifecycle (事故隐患)
    hazards_commands.ReportHazard: HazardApplication.report_hazard,
    hazards_commands.ReportToRegulator: HazardApplication.report_to_regulator,
    hazards_commands.FilePlan: HazardApplication.file_plan,
    hazards_commands.RecordProgress: HazardApplication.record_progress,
    hazards_commands.AttachEvidence: HazardApplication.attach_evidence,
    hazards_commands.ListForSupervision: HazardApplication.list_for_supervision,
    hazards_commands.LiftSupervision: HazardApplication.lift_supervision,
    hazards_commands.ExtendDeadline: HazardApplication.extend_deadline,
    hazards_commands.RequestExtension: HazardApplication.request_extension,
    hazards_commands.ApproveExtension: HazardApplication.approve_extension,
    hazards_commands.RefuseExtension: HazardApplication.refuse_extension,
    hazards_commands.RecordDeadlineMiss: HazardApplication.record_deadline_miss,
    hazards_commands.CompleteRectification: HazardApplication.complete_rectification,
    hazards_commands.VerifyRectification: HazardApplication.verify,
    hazards_commands.CloseHazard: HazardApplication.close_hazard,
    hazards_commands.VoidHazard: HazardApplication.void_hazard,
    # inspections (检查记录)
    inspections_commands.ConductInspection: InspectionApplication.conduct_inspection,
    inspections_commands.RecordFinding: InspectionApplication.record_finding,
    inspections_commands.RecordDeficiencies: InspectionApplication.record_deficiencies,
    inspections_commands.SignInspection: InspectionApplication.sign_inspection,
    # ledger imports (隐患台账导入): the record of the file, after the rows' own commands
    ledger_imports_commands.RecordLedgerImport: LedgerImportApplication.record_import,
    # report submissions (报表报送)
    reports_commands.SubmitReport: ReportApplication.submit_report,
    # risk points (重大安全风险, 4个清单) and outstanding problems (突出问题)
    risks_commands.RegisterRiskPoint: RiskApplication.register_risk_point,
    risks_commands.ListBasicInfo: RiskApplication.list_basic_info,
    risks_commands.ListResponsibility: RiskApplication.list_responsibility,
    risks_commands.ListControlMeasures: RiskApplication.list_control_measures,
    risks_commands.ListEmergency: RiskApplication.list_emergency,
    risks_commands.IdentifyProblem: RiskApplication.identify_problem,
    risks_commands.AdoptRootCauseMeasure: RiskApplication.adopt_root_cause_measure,
    risks_commands.RectifyProblem: RiskApplication.rectify_problem,
    # the signing-key registry (签名密钥登记)
    signing_keys_commands.EnrolKey: SigningKeyApplication.enrol_key,
    signing_keys_commands.RevokeKey: SigningKeyApplication.revoke_key,
    # the warning ladder (分级警示)
    warnings_commands.ProposeWarning: WarningApplication.propose_warning,
    warnings_commands.ConfirmWarning: WarningApplication.confirm_warning,
    warnings_commands.DismissWarning: WarningApplication.dismiss_warning,
    # reporting units' work logs (工作记录)
    work_logs_commands.RecordActivity: WorkLogApplication.record_activity,
}


class Ledger:
    """事故隐患台账: the contexts' applications, sharing one event store, clock, rules and evidence store."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        reference: ReferenceData | None = None,
        rules: LedgerRules | None = None,
        clock: Clock | None = None,
        evidence: EvidenceStore | None = None,
    ) -> None:
        reference = reference or load_reference()
        self.hazards = HazardApplication(env, reference=reference, rules=rules, clock=clock, evidence=evidence)
        common: dict[str, Any] = {
            "shared_store": self.hazards.shared_store, "reference": reference, "rules": self.hazards.rules,
            "clock": self.hazards.clock, "evidence": self.hazards.evidence,
        }  # fmt: skip
        self.inspections = InspectionApplication(env, **common)
        self.enterprises = EnterpriseApplication(env, **common)
        self.enforcement = EnforcementApplication(env, **common)
        self.accidents = AccidentApplication(env, **common)
        self.risks = RiskApplication(env, **common)
        self.work_logs = WorkLogApplication(env, **common)
        self.warnings = WarningApplication(env, **common)
        self.reports = ReportApplication(env, **common)
        self.keys = SigningKeyApplication(env, **common)
        self.accountability = AccountabilityApplication(env, **common)
        self.documents = DocumentApplication(env, **common)
        self.ledger_imports = LedgerImportApplication(env, **common)
        self._applications: dict[type[LedgerCore], LedgerCore] = {
            type(app): app
            for app in (
                self.hazards, self.inspections, self.enterprises, self.enforcement, self.accidents, self.risks,
                self.work_logs, self.warnings, self.reports, self.keys, self.accountability, self.documents,
                self.ledger_imports,
            )
        }  # fmt: skip
        # which application each handler belongs to (the class that defines it)
        self._owners = {
            function: app for app in self._applications.values() for function in vars(type(app)).values() if callable(function)
        }

    # ----- what every context shares ------------------------------------------------------------

    @property
    def reference(self) -> ReferenceData:
        return self.hazards.reference

    @property
    def rules(self) -> LedgerRules:
        return self.hazards.rules

    @property
    def clock(self) -> Clock:
        return self.hazards.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        """One clock for every context (tests move it)."""
        for application in self._applications.values():
            application.clock = clock

    @property
    def recorder(self) -> ApplicationRecorder:
        return self.hazards.recorder

    @property
    def mapper(self) -> Mapper[UUID]:
        return self.hazards.mapper

    @property
    def repository(self) -> Repository[UUID]:
        """Any record of any context (the store is one)."""
        return self.hazards.repository

    # ----- commands ---------------------------------------------------------------------------

    def execute(self, actor: Actor, command: Command, *, expected_version: int | None = None) -> Receipt:
        """Runs one command as ``actor``; ``expected_version`` (If-Match) applies to a command on an
        existing record. The pipeline wraps this in a unit of work (``domain/unit_of_work.py``)."""
        check_actor(actor)
        check_role_organisation(actor)  # every command, whatever its entry point (HTTP, CLI, demo)
        check_bounds(command, business_date(self.clock.now()))
        handler = HANDLERS[type(command)]
        extra = {"expected_version": expected_version} if isinstance(command, RecordCommand) else {}
        return handler(self._owners[handler], actor, **command.arguments(), **extra)

    # ----- reads ------------------------------------------------------------------------------

    def history(self, record_id: UUID) -> list[dict[str, Any]]:
        """Every event of one record, oldest first."""
        return self.hazards.history(record_id)

    def store_staged(self, unit: UnitOfWork) -> Receipt | None:
        """Stores what the commands of a staging unit of work changed, in one transaction (``domain/unit_of_work.py``)."""
        return self.hazards.store_staged(unit)

    def close(self) -> None:
        self.hazards.close()
