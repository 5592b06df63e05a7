"""Who may READ what (issue 12 part 2): every record read is scoped to the reader's organisation.

The read rule mirrors the write rule of ``domain.access.check_scope``:

- an enterprise (principal, enterprise_staff) reads its own records only (organisation id = enterprise id);
- a department (inspector) reads the records of the sectors it leads (a sector led through its parent row
  included) and the records assigned to it (the hazard's responsible department, its inspections, its
  cases, the records counting for it); a street or zone (street_officer) reads its territory (属地, the
  record's jurisdiction) — both through the same organisation test;
- the 区安委办 (committee_office), auditors and experts read the whole district.

A single record outside the scope answers as if it did not exist (``<kind>_not_found``, 404): its
existence is not leaked. Lists filter to the scope (the projections take a ``ReadScope`` as a SQL
condition). Reports (annex tables, KPIs, anomalies, submissions) are per reporting unit: a unit reads its
own, the district roles any or the roll-up, an enterprise none (403). The Merkle log's checkpoints and
proofs are for the 区安委办 and auditors only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.access import mask_phones, phones_visible
from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import OrgKind, Role
from domain.reference_data import ReferenceData

if TYPE_CHECKING:
    from domain.ledger import Ledger

# Roles that read the whole district.
DISTRICT_READERS = frozenset({Role.COMMITTEE_OFFICE, Role.AUDITOR, Role.EXPERT, Role.SYSTEM})
# Roles that read no record at all: the administrator (系统管理员) manages accounts and keys; though
# their organisation is the 区安委办, they read none of its records, reports or lists (issue 12 item 6).
NO_RECORD_READERS = frozenset({Role.ADMIN})
# Who may read the Merkle log (checkpoints, inclusion and consistency proofs) and the audit export.
AUDIT_READERS = frozenset({Role.COMMITTEE_OFFICE, Role.AUDITOR, Role.SYSTEM})
# The units a report is filled in for (填报单位), besides the district's roll-up.
REPORTING_UNIT_KINDS = frozenset({OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.ZONE})


@dataclass(frozen=True)
class ReadScope:
    """What one reader may see, as sets a query can turn into a WHERE clause."""

    district: bool = False
    enterprise_ids: frozenset[str] = field(default_factory=frozenset)  # enterprises read as their own
    sectors: frozenset[str] = field(default_factory=frozenset)  # sector rows the reader leads
    units: frozenset[str] = field(default_factory=frozenset)  # organisation ids: assigned records, territory
    role: Role | None = None
    user_id: str | None = None

    @property
    def organisations(self) -> frozenset[str]:
        """The organisation ids the reader speaks for (its own unit or enterprise)."""
        return self.units | self.enterprise_ids

    def covers(
        self,
        *,
        enterprise_id: UUID | str | None = None,
        sector: str | None = None,
        jurisdiction: str | None = None,
        units: Iterable[str | None] = (),
    ) -> bool:
        """Whether a record of this enterprise, sector and territory, assigned to ``units``, is readable."""
        if self.district:
            return True
        if enterprise_id is not None and str(enterprise_id) in self.enterprise_ids:
            return True
        if sector is not None and sector in self.sectors:
            return True
        if jurisdiction and jurisdiction in self.units:
            return True
        return any(unit in self.units for unit in units if unit)

    def covers_enterprise(self, enterprise_id: UUID | str, sector: str, jurisdiction: str) -> bool:
        """Whether an enterprise's own record (its registration) is readable: by itself, the leads of its sector
        row and its territory — the units that may report a hazard of it (``domain.access.check_scope`` of
        ``report_hazard``). A hazard of it assigned to another department makes that hazard the department's,
        not the enterprise: the list of enterprises and the single read both follow this rule (the list's SQL
        is ``covers`` without assigned units, ``projections.registers``)."""
        return self.covers(enterprise_id=enterprise_id, sector=sector, jurisdiction=jurisdiction)

    def check_reads_records(self, action: str, action_zh: str) -> None:
        """Refuses a reader who reads no record at all (the administrator) a list whose empty answer would
        say "nothing here" rather than "not yours"."""
        if self.role in NO_RECORD_READERS:
            raise DomainError("role_not_allowed", role=self.role.value, role_zh=self.role.zh, action=action, action_zh=action_zh)

    def covers_unit(self, unit_id: str | None) -> bool:
        """A reporting unit's own data (work log, warnings, flags, submissions); None is the district roll-up."""
        return self.district or (unit_id is not None and unit_id in self.units)


def read_scope(actor: Actor, reference: ReferenceData) -> ReadScope:
    """The reader's scope, from the actor and the reference data (sector rows and their lead units)."""
    if actor.role in DISTRICT_READERS:
        return ReadScope(district=True, role=actor.role, user_id=actor.user_id)
    if actor.role in NO_RECORD_READERS:  # the administrator's unit (区安委办) is not theirs to read as
        return ReadScope(role=actor.role, user_id=actor.user_id)
    org = actor.organisation_id
    if actor.is_enterprise:
        return ReadScope(enterprise_ids=frozenset({org}), role=actor.role, user_id=actor.user_id)
    sectors = frozenset(
        s.id
        for s in reference.sectors.values()
        if org in s.lead_unit_ids or (s.parent is not None and org in reference.sector(s.parent).lead_unit_ids)
    )
    return ReadScope(sectors=sectors, units=frozenset({org}), role=actor.role, user_id=actor.user_id)


def hidden(kind: str, **params: Any) -> DomainError:
    """The refusal of a record outside the scope: the same answer as a record that does not exist."""
    return DomainError(f"{kind}_not_found", **params)


def check_audit_reader(actor: Actor) -> None:
    """The Merkle log's checkpoints and proofs, and the audit export: the 区安委办 and auditors only."""
    if not reads_audit_log(actor):
        raise DomainError(
            "role_not_allowed",
            role=actor.role.value,
            role_zh=actor.role.zh,
            action="read the audit log",
            action_zh="查阅审计日志",
        )


def reads_records(actor: Actor) -> bool:
    """Whether the person reads records at all (hazards, enterprises, inspections…): all but the administrator."""
    return actor.role not in NO_RECORD_READERS


def reads_reports(actor: Actor) -> bool:
    """Whether the person reads reports (annex tables, KPIs, anomalies, submissions): ``report_unit``'s rule —
    units their own, the district roles any; an enterprise or the administrator none."""
    return not (actor.is_enterprise or actor.role in NO_RECORD_READERS)


def reads_audit_log(actor: Actor) -> bool:
    """Whether the person reads the Merkle log and the audit export (``check_audit_reader``'s rule)."""
    return actor.role in AUDIT_READERS


def report_unit(actor: Actor, unit: str | None, *, all_units: bool = False) -> str | None:
    """The reporting unit whose report (annex tables, KPIs, anomalies, submissions) the reader gets.

    The district roles read any unit or, with ``unit`` omitted, the district roll-up (or, for lists with
    ``all_units``, every unit). A department, street or zone reads its own unit's only: omitted means its
    own. An enterprise or the administrator reads no report (403)."""
    if actor.role in DISTRICT_READERS:
        return unit
    if actor.is_enterprise or actor.role in NO_RECORD_READERS:
        raise DomainError(
            "role_not_allowed", role=actor.role.value, role_zh=actor.role.zh, action="read reports", action_zh="查阅报表"
        )
    own = actor.organisation_id
    if unit is None or unit == own:
        return own
    raise DomainError("outside_scope", organisation=actor.organisation_name or own)


def report_units(actor: Actor, reference: ReferenceData) -> list[str | None]:
    """The reporting units whose reports the reader may ask for (``report_unit``'s rule), for a choice:
    the district roles the roll-up (None) and every department, street and zone; a unit's staff their own."""
    own = report_unit(actor, None)  # refuses an enterprise or the administrator
    if actor.role not in DISTRICT_READERS:
        return [own]
    return [None, *(u.id for u in reference.units.values() if u.kind in REPORTING_UNIT_KINDS)]


class ScopedReads:
    """The single-record reads of the ledger, as one reader may see them (404 outside the scope)."""

    def __init__(self, ledger: Ledger, actor: Actor) -> None:
        self.ledger = ledger
        self.actor = actor
        self.scope = read_scope(actor, ledger.reference)

    # ----- records of an enterprise ----------------------------------------------------------

    def _enterprise_place(self, enterprise_id: UUID | str | None) -> tuple[str | None, str | None]:
        if enterprise_id is None:
            return None, None
        try:
            e = self.ledger.enterprises.enterprise(UUID(str(enterprise_id)))
        except DomainError:
            return None, None
        return e["sector"], e["jurisdiction"]

    def _covers_enterprise_record(self, enterprise_id: UUID | str | None, *units: str | None) -> bool:
        if self.scope.district or (enterprise_id is not None and str(enterprise_id) in self.scope.enterprise_ids):
            return True
        if any(unit in self.scope.units for unit in units if unit):
            return True
        sector, jurisdiction = self._enterprise_place(enterprise_id)
        return self.scope.covers(sector=sector, jurisdiction=jurisdiction)

    def hazard(self, hazard_id: UUID) -> dict[str, Any]:
        h = self.ledger.hazards.hazard(hazard_id)
        if not self.scope.covers(
            enterprise_id=h["enterprise_id"], sector=h["sector"], jurisdiction=h["jurisdiction"], units=[h["department"]]
        ):
            raise hidden("hazard", id=str(hazard_id))
        return h

    def enterprise(self, enterprise_id: UUID) -> dict[str, Any]:
        e = self.ledger.enterprises.enterprise(enterprise_id)
        if not self.scope.covers_enterprise(e["id"], e["sector"], e["jurisdiction"]):
            raise hidden("enterprise", id=str(enterprise_id))
        return e

    def inspection(self, inspection_id: UUID) -> dict[str, Any]:
        i = self.ledger.inspections.inspection(inspection_id)
        if not self._covers_enterprise_record(i["enterprise_id"], i["organisation_id"]):
            raise hidden("inspection", id=str(inspection_id))
        return i

    def case(self, case_id: UUID) -> dict[str, Any]:
        c = self.ledger.enforcement.case(case_id)
        if not self._covers_enterprise_record(c["enterprise_id"], c["department"]):
            raise hidden("case", id=str(case_id))
        return c

    def batch(self, batch_id: UUID) -> dict[str, Any]:
        """A publication batch: readable by whoever reads one of the enterprises it names, or its publisher."""
        b = self.ledger.enforcement.batch(batch_id)
        publisher = (b["published_by"] or {}).get("organisation_id")  # the publishing unit (an Actor, as a dict)
        if not (
            self._covers_enterprise_record(None, publisher) or any(self._covers_enterprise_record(e) for e in b["enterprise_ids"])
        ):
            raise hidden("batch", id=str(batch_id))
        return b

    def accident(self, accident_id: UUID) -> dict[str, Any]:
        a = self.ledger.accidents.accident(accident_id)
        if not self.scope.covers(
            enterprise_id=a["enterprise_id"], sector=a["sector"], jurisdiction=a["jurisdiction"], units=a["counts_for"]
        ):
            raise hidden("accident", id=str(accident_id))
        return a

    def risk_point(self, risk_point_id: UUID) -> dict[str, Any]:
        r = self.ledger.risks.risk_point(risk_point_id)
        if not self.scope.covers(
            enterprise_id=r["enterprise_id"], sector=r["sector"], jurisdiction=r["jurisdiction"], units=r["counts_for"]
        ):
            raise hidden("risk_point", id=str(risk_point_id))
        if not phones_visible(self.actor):  # the one masking rule (domain.access) for personal phones
            mask_phones([r["responsibility"]])
            r["phones_masked"] = True
        return r

    def problem(self, problem_id: UUID) -> dict[str, Any]:
        p = self.ledger.risks.problem(problem_id)
        if not self.scope.covers(
            enterprise_id=p["enterprise_id"],
            sector=p["sector"],
            jurisdiction=p["jurisdiction"],
            units=[p["unit_id"], *p["counts_for"]],
        ):
            raise hidden("problem", id=str(problem_id))
        return p

    # ----- records of a reporting unit -------------------------------------------------------

    def work_log(self, unit_id: str) -> dict[str, Any]:
        if not self.scope.covers_unit(unit_id):
            raise hidden("work_log", id=unit_id)
        return self.ledger.work_logs.work_log(unit_id)

    def ledger_import(self, import_id: UUID) -> dict[str, Any]:
        i = self.ledger.ledger_imports.ledger_import(import_id)
        if self.actor.is_enterprise or not self.scope.covers_unit(i["unit"]):
            raise hidden("ledger_import", id=str(import_id))
        return i

    def warning(self, warning_id: UUID) -> dict[str, Any]:
        w = self.ledger.warnings.warning(warning_id)
        if not self.scope.covers_unit(w["unit_id"]):
            raise hidden("warning", id=str(warning_id))
        return w

    # ----- official documents (文书): seen by whoever sees the record they were issued from, or the issuing unit

    def document(self, document_id: UUID) -> dict[str, Any]:
        d = self.ledger.documents.document(document_id)
        if not self.sees_document(d):
            raise hidden("document", id=str(document_id))
        return d

    def sees_document(self, d: dict[str, Any], seen: dict[str, bool] | None = None) -> bool:
        """``seen``: a cache by source record, for a list."""
        if self.actor.is_enterprise:
            return d["addressee_id"] == self.actor.organisation_id
        if self.scope.district or d["issuing_unit"] in self.scope.units:
            return True
        key = d["source_id"]
        if seen is not None and key in seen:
            return seen[key]
        read = {"hazard": self.hazard, "case": self.case, "warning": self.warning}[d["source_kind"]]
        try:
            read(UUID(key))
            visible = True
        except DomainError:
            visible = False
        if seen is not None:
            seen[key] = visible
        return visible

    def check_unit(self, unit_id: str) -> None:
        """A unit's flags (一票否优/否决): the unit itself and the district."""
        if not self.scope.covers_unit(unit_id):
            raise hidden("unit", id=unit_id)

    def submission(self, submission_id: UUID) -> dict[str, Any]:
        s = self.ledger.reports.submission(submission_id)
        if self.actor.is_enterprise or not self.scope.covers_unit(s["unit"]):
            raise hidden("submission", id=str(submission_id))
        return s

    def submissions(self, annex: str, *, unit: str | None, as_of: Any) -> list[dict[str, Any]]:
        """Submissions of one annex: a unit's own only; the district roles any (``unit`` omitted: all)."""
        wanted = report_unit(self.actor, unit)
        return self.ledger.reports.submissions(annex, unit=wanted, as_of=as_of)

    # ----- accountability --------------------------------------------------------------------

    def accountability_case(self, case_id: UUID) -> dict[str, Any]:
        """A decision is read by the deciding unit, the district, and whoever reads a record it names
        (an enterprise: one of its hazards, accidents or inspections)."""
        c = self.ledger.accountability.accountability_case(case_id)
        if not (self.scope.district or c["decided_by"] in self.scope.units or self._names_visible(c)):
            raise hidden("accountability", id=str(case_id))
        return c

    def _names_visible(self, c: dict[str, Any]) -> bool:
        for ids, read in (
            (c["hazard_ids"], self.hazard),
            (c["accident_ids"], self.accident),
            (c["inspection_ids"], self.inspection),
        ):
            for record_id in ids:
                try:
                    read(UUID(str(record_id)))
                    return True
                except DomainError:
                    continue
        return False

    def person_organisations(self, user_id: str) -> frozenset[str] | None:
        """Whose acts of a person's trail the reader sees: None for all (the district, or the person
        themself); otherwise the acts done for the reader's own organisation."""
        if self.scope.district or user_id == self.actor.user_id:
            return None
        return self.scope.organisations

    # ----- any record, by id -----------------------------------------------------------------

    def check_record(self, record_id: UUID) -> None:
        """Any record by its id (e.g. for a signing payload): ``record_not_found`` outside the scope."""
        try:
            kind = type(self.ledger.keys.repository.get(record_id)).__name__
        except AggregateNotFoundError:  # absent: the caller answers record_not_found itself
            return
        read = {
            "Hazard": self.hazard, "Enterprise": self.enterprise, "Inspection": self.inspection,
            "EnforcementCase": self.case, "PublicationBatch": self.batch, "Accident": self.accident,
            "RiskPoint": self.risk_point, "OutstandingProblem": self.problem, "UnitWarning": self.warning,
            "AccountabilityCase": self.accountability_case, "ReportSubmission": self.submission,
        }.get(kind)  # fmt: skip
        if read is None:
            return
        try:
            read(record_id)
        except DomainError as exc:
            if exc.code.endswith("not_found"):
                raise hidden("record", id=str(record_id)) from None
            raise
