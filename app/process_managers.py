"""The process managers: react to what the event log says by sending commands as the system actor.

- **deadline watcher** — every rectifying hazard whose deadline (a Beijing date) has passed and that
  is not marked overdue gets ``mark_deadline_missed``, stamped at the first instant of the day after
  the deadline, never before the hazard's last event (``domain/process_rules.py``);
- **repeat-offender detector** — an open major hazard cited by enforcement cases that meets plan
  rule 3's thresholds marks the latest open case citing it with ``recommend_closure``, naming the
  other cases citing it;
- **warning ladder** — the rules of ``domain/warning_rules.py`` per reporting unit; each proposal is a
  ``propose_warning`` with a deterministic id.

They are wiring: the facts come from the ``process_facts`` read model (caught up first), the
decisions from pure domain rules, the refusals from the domain. Exactly-once and restart-safety come
from the domain, not from memory here: a command already done is refused (``already_overdue`` /
``deadline_not_passed``, ``already_recommended``, ``warning_exists``) and appends nothing, so a second
run, a restarted process or a second worker adds nothing. Any other refusal is reported as an error
(the run goes on with the next record). On PostgreSQL one run at a time holds an advisory lock; others
return at once with ``skipped``. Time comes from a ``Clock`` (tests move a ``FixedClock``); pass the
ledger's own clock (the default), since the ledger refuses business times in its future.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from threading import Event
from typing import Any
from uuid import UUID

from app.wiring import Services
from domain.actor import SYSTEM_ACTOR
from domain.business_time import Clock, business_date
from domain.errors import DomainError
from domain.process_rules import closures_due, deadlines_missed
from domain.unit_warning import warning_id_for
from domain.warning_rules import ladder
from projections.engine import ProjectionStalled
from projections.locks import advisory_lock
from projections.process_queries import ProcessQueries

log = logging.getLogger("hazard_ledger.process")

LOCK_KEY = "hazard-ledger:process-managers"
# Refusals that mean "already done" for each manager; anything else is an error.
DONE = {
    "deadline_watcher": frozenset({"already_overdue", "deadline_not_passed"}),
    "repeat_offender_detector": frozenset({"already_recommended"}),
    "warning_ladder": frozenset({"warning_exists"}),
}


@dataclass
class ProcessSummary:
    """What one run did: records changed per manager, commands found already done, errors."""

    at: str
    skipped: str = ""
    deadlines_missed: list[str] = field(default_factory=list)  # hazard ids
    closures_recommended: list[str] = field(default_factory=list)  # case ids
    warnings_proposed: list[str] = field(default_factory=list)  # warning ids
    already_done: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def appended(self) -> int:
        return len(self.deadlines_missed) + len(self.closures_recommended) + len(self.warnings_proposed)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_process_managers(services: Services, clock: Clock | None = None) -> ProcessSummary:
    """Catches the read models up, then runs the deadline watcher, the repeat-offender detector and the
    warning ladder in that order (each sees what the one before appended), all at ``clock.now()``."""
    now = (clock or services.ledger.clock).now()
    summary = ProcessSummary(at=now.isoformat())
    with advisory_lock(services.engine, LOCK_KEY, wait=False) as running:
        if not running:
            summary.skipped = "another process-manager run holds the lock"
            return summary
        queries = services.process_queries
        try:
            services.catch_up()
            watch_deadlines(services, queries, now, summary)
            services.catch_up()
            detect_repeat_offenders(services, queries, now, summary)
            services.catch_up()
            climb_warning_ladder(services, queries, now, summary)
            services.catch_up()
        except ProjectionStalled as stalled:  # never judge deadlines or offenders from facts behind the log
            summary.skipped = f"read models stalled: {stalled}"
            log.error("process managers skipped: %s", stalled)
            return summary
    for error in summary.errors:
        log.warning("process manager refused: %s", error)
    return summary


def watch_deadlines(services: Services, queries: ProcessQueries, now: datetime, summary: ProcessSummary) -> None:
    ledger = services.ledger
    # Never beyond the back-dating window (a deadline more than HAZARD_BACKDATE_DAYS ago).
    earliest = now - timedelta(days=ledger.rules.backdate_days) + timedelta(minutes=1)
    for miss in deadlines_missed(queries.deadline_facts(business_date(now)), now):
        at = max(miss.occurred_at, earliest)
        if _attempt(summary, "deadline_watcher", miss.hazard_id, lambda m=miss, at=at: ledger.hazards.mark_deadline_missed(
            SYSTEM_ACTOR, m.hazard_id, occurred_at=at)):  # fmt: skip
            summary.deadlines_missed.append(str(miss.hazard_id))


def detect_repeat_offenders(services: Services, queries: ProcessQueries, now: datetime, summary: ProcessSummary) -> None:
    ledger = services.ledger
    for due in closures_due(queries.cited_hazards(), business_date(now), ledger.rules):
        if _attempt(summary, "repeat_offender_detector", due.case_id, lambda d=due: ledger.enforcement.recommend_closure(
            SYSTEM_ACTOR, d.case_id, hazard_id=d.hazard_id, other_case_ids=d.other_case_ids, occurred_at=now)):  # fmt: skip
            summary.closures_recommended.append(str(due.case_id))


def climb_warning_ladder(services: Services, queries: ProcessQueries, now: datetime, summary: ProcessSummary) -> None:
    ledger = services.ledger
    settings = queries.ladder_settings()
    known = queries.warning_ids()
    for facts in queries.unit_facts(business_date(now)):
        for p in ladder(facts, settings):
            warning_id = warning_id_for(p.unit_id, p.level, p.trigger_key)
            if str(warning_id) in known:
                continue  # proposed before (the store would refuse it with warning_exists anyway)
            if _attempt(summary, "warning_ladder", warning_id, lambda p=p: ledger.warnings.propose_warning(
                SYSTEM_ACTOR, unit_id=p.unit_id, level=p.level, trigger=p.trigger, trigger_key=p.trigger_key,
                trigger_refs=p.refs, reason_zh=p.reason_zh, reason_en=p.reason_en, occurred_at=now)):  # fmt: skip
                summary.warnings_proposed.append(str(warning_id))
                known.add(str(warning_id))


def _attempt(summary: ProcessSummary, manager: str, record_id: UUID, command: Callable[[], Any]) -> bool:
    """Runs one command: True if it appended; a refusal meaning "already done" counts as done."""
    try:
        command()
    except DomainError as error:
        if error.code in DONE[manager]:
            summary.already_done += 1
        else:
            summary.errors.append({"manager": manager, "record": str(record_id), "code": error.code, "message": error.message_en})
        return False
    return True


def process_loop(services: Services, stop: Event, every: float, clock: Clock | None = None) -> None:
    """Runs the process managers every ``every`` seconds until ``stop`` is set; a failed run is logged
    and the next one tries again (the in-process worker of ``hazard-ledger serve``)."""
    while not stop.is_set():
        try:
            summary = run_process_managers(services, clock)
            if summary.appended:
                log.info(
                    "process managers: %d overdue, %d closure recommendations, %d warnings proposed",
                    len(summary.deadlines_missed), len(summary.closures_recommended), len(summary.warnings_proposed),
                )  # fmt: skip
        except Exception:  # noqa: BLE001 — a worker thread must survive a failed run
            log.exception("process managers failed; retrying in %s s", every)
        stop.wait(every)
