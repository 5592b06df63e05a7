"""Report submissions (报表报送): a unit submits its own annex table, the safety committee office (区安委办)
the district's; what was submitted is frozen (``domain/report_submission.py``)."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.access import check_role
from domain.actor import Actor
from domain.business_time import business_date
from domain.errors import DomainError
from domain.glossary import Role, SignatureMeaning
from domain.inputs import invalid
from domain.report_submission import DISTRICT, ReportSubmission, check_annex, figures_sha256, submission_id_for
from domain.services.core import LedgerCore, Receipt
from domain.services.signing_keys import authorise_signature
from domain.signatures import SignatureArg  # personal signatures
from domain.views import plain

# Concurrent submissions of one cut-off collide on the sequence; this many retries, then version_conflict.
_ATTEMPTS = 5




class ReportApplication(LedgerCore):
    def check_submission(self, actor: Actor, annex: str, unit: str | None, as_of: date) -> None:
        """Refuses, before any figure is computed, what ``submit_report`` would refuse: an unknown annex
        or unit, a cut-off outside the campaign's past, an actor who is not the unit (or, for the
        district, not the 区安委办)."""
        check_annex(annex)
        check_role(actor, "submit_report")
        if unit is not None and unit not in self.reference.units:
            raise DomainError("unit_not_found", id=unit)
        allowed = actor.role is Role.COMMITTEE_OFFICE if unit is None else actor.organisation_id == unit
        if not allowed:
            raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)
        today = business_date(self.clock.now())
        if as_of > today:
            invalid("as_of", f"{as_of.isoformat()} is after today ({today.isoformat()})", f"截止日期 {as_of} 晚于今天 {today}")
        if as_of < self.reference.campaign.start:
            start = self.reference.campaign.start.isoformat()
            invalid("as_of", f"before the campaign start ({start})", f"早于专项行动开始日期 {start}")

    def submit_report(
        self,
        actor: Actor,
        annex: str,
        unit: str | None,
        as_of: date,
        figures: Mapping[str, Any],
        *,
        known_at: datetime,
        note: str = "",
        occurred_at: datetime | None = None,
        signature: SignatureArg = None,
        reviewer: str = "",
        contact_phone: str = "",
    ) -> Receipt:
        """Freezes ``figures`` (the table computed with ``known_at``) as the next submission of this annex,
        unit (None: the district) and cut-off. Returns the submission's id and version (1)."""
        when = self._when(occurred_at)
        self.check_submission(actor, annex, unit, as_of)
        sequence = self._next_sequence(annex, unit, as_of)
        for _ in range(_ATTEMPTS):
            previous = submission_id_for(annex, unit, as_of, sequence - 1) if sequence > 1 else None
            # 报送签名 over the new record (version 0) and the figures' SHA-256; a client signature made
            # for another sequence fails here (signature_invalid).
            signed = authorise_signature(
                self,
                actor,
                record_id=submission_id_for(annex, unit, as_of, sequence),
                version_seen=0,
                meaning=SignatureMeaning.SUBMITTER,
                attachments=[figures_sha256(figures)] if signature is not None else [],
                signature=signature,
            )
            submission = ReportSubmission.submit(
                actor=actor, occurred_at=when, annex=annex, unit=unit, as_of=as_of, sequence=sequence,
                supersedes=previous, known_at=known_at, figures=figures, note=note, signature=signed,
                reviewer=reviewer, contact_phone=contact_phone,
            )  # fmt: skip
            try:
                receipt = self._save(submission)
            except IntegrityError:
                sequence += 1  # someone submitted the same cut-off meanwhile
                continue
            return receipt
        raise DomainError("version_conflict", expected=sequence - 1, actual="?")

    def _next_sequence(self, annex: str, unit: str | None, as_of: date) -> int:
        sequence = 1
        while self.recorder.select_events(submission_id_for(annex, unit, as_of, sequence), limit=1):
            sequence += 1
        return sequence

    def submission(self, submission_id: UUID) -> dict[str, Any]:
        """One submission with its frozen figures; ``sha256_verified``: the figures still hash to it."""
        s = self._load(ReportSubmission, submission_id)
        return {**self._summary(s), "figures": copy.deepcopy(s.figures), "sha256_verified": figures_sha256(s.figures) == s.sha256}

    def submissions(self, annex: str, *, unit: str | None = None, as_of: date | None = None) -> list[dict[str, Any]]:
        """Submissions of one annex, newest first; ``unit``: a unit id, ``"district"`` for the roll-up, or
        None for all; ``as_of``: one cut-off or all. Without the figures (``submission`` has them)."""
        check_annex(annex)
        if unit is not None and unit != DISTRICT and unit not in self.reference.units:
            raise DomainError("unit_not_found", id=unit)
        found: list[ReportSubmission] = []
        if unit is not None and as_of is not None:
            owner = None if unit == DISTRICT else unit
            sequence = 1
            while True:
                try:
                    found.append(self._load(ReportSubmission, submission_id_for(annex, owner, as_of, sequence)))
                except DomainError:
                    break
                sequence += 1
        else:
            found = [s for s in self._all_submissions() if s.annex == annex]
            if unit is not None:
                found = [s for s in found if (s.unit or DISTRICT) == unit]
            if as_of is not None:
                found = [s for s in found if s.as_of == as_of]
        found.sort(key=lambda s: (s.submitted_at, s.as_of, s.sequence), reverse=True)
        return [self._summary(s) for s in found]

    def _all_submissions(self) -> list[ReportSubmission]:
        """Every submission, loaded."""
        return [self._load(ReportSubmission, e.originator_id) for e in self.submitted_events()]

    def submitted_events(self) -> Iterator[Any]:
        """Every ``ReportSubmitted`` event in log order, decoded (not loaded as a record): a scan of the log
        restricted to that topic, a page at a time."""
        return self.events_of_type(ReportSubmission.ReportSubmitted)

    def _summary(self, s: ReportSubmission) -> dict[str, Any]:
        unit = self.reference.units.get(s.unit) if s.unit else self.reference.units.get("ajb")
        return {
            "id": str(s.id),
            "version": s.version,
            "annex": s.annex,
            "unit": s.unit,
            "unit_name": unit.name if unit else s.unit,
            "as_of": s.as_of.isoformat(),
            "sequence": s.sequence,
            "supersedes": plain(s.supersedes),
            "known_at": plain(s.known_at),
            "submitted_at": plain(s.submitted_at),
            "submitted_by": plain(s.submitted_by),
            "note": s.note,
            "reviewer": s.reviewer,
            "contact_phone": s.contact_phone,
            "sha256": s.sha256,
            "signature": plain(getattr(s, "signature", None)),  # 报送签名, if signed
        }
