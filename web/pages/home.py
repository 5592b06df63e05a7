"""/ui/: 我的工作, what waits for the person now — by role (``domain.my_work``: whose each duty is).

Every list is a read the API makes, with the reader's scope: hazards through ``services.queries.list``
(``GET /api/v1/hazards``), warnings to confirm through ``process_queries.warnings`` (``GET /api/v1/warnings``),
self-report reminders through ``process_queries.self_report_reminders`` (``GET /api/v1/reminders``) and the
reports due through ``reporting_queries.calendar`` (``GET /api/v1/reports/calendar``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.wiring import Services
from domain.actor import Actor
from domain.business_time import business_date
from domain.glossary import Duty, Grade, WarningState
from domain.my_work import duties, grade_for, near_until, waiting_state
from domain.read_scope import ReadScope, read_scope
from domain.reporting_calendar import next_due_day, owes_reports
from projections.hazard_queries import HazardFilter
from projections.process_queries import AsOf, WarningFilter
from web.pages.hazards import Filters
from web.render import render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)
SHOWN = 10  # items per section; the rest through "全部" (the hazard list) or the count


@dataclass(frozen=True)
class Section:
    duty: Duty
    total: int
    items: list[dict[str, Any]]
    more: str | None = None  # the hazard list with the same filters, when it can say them


def _hazard_filter(duty: Duty, actor: Actor, today: date) -> HazardFilter:
    state = waiting_state(duty)
    if duty is Duty.DEADLINE_NEAR:
        return HazardFilter(state=state, overdue=False, deadline_by=near_until(today))
    if duty is Duty.DEADLINE_MISSED:
        return HazardFilter(state=state, overdue=True)
    listed = {Duty.LISTING_TO_LIFT: True, Duty.AWAITING_CLOSURE: False}.get(duty)  # a listed hazard is lifted, then closed
    return HazardFilter(state=state, listed=listed, grade=grade_for(duty, actor))


def _list_url(f: HazardFilter) -> str | None:
    if f.grade is Grade.GENERAL or f.listed is False:  # not a filter of the list's form: the count only
        return None
    due_by = f.deadline_by.isoformat() if f.deadline_by else ""
    return Filters(state=f.state.value if f.state else "", overdue=bool(f.overdue), listed=bool(f.listed), due_by=due_by).url(1)


def _hazards(services: Services, duty: Duty, actor: Actor, scope: ReadScope, today: date) -> Section:
    f = _hazard_filter(duty, actor, today)
    found = services.queries.list(replace(f, limit=SHOWN, scope=scope))
    return Section(duty, found["total"], found["items"], _list_url(f) if found["total"] > SHOWN else None)


def _warnings(services: Services, scope: ReadScope, today: date) -> Section:
    found = services.process_queries.warnings(
        WarningFilter(as_of=AsOf(today), state=WarningState.PROPOSED, limit=SHOWN, scope=scope)
    )
    return Section(Duty.WARNING_TO_CONFIRM, found["total"], found["items"])


def _reminders(services: Services, scope: ReadScope, now: datetime) -> Section:
    found = services.process_queries.self_report_reminders(now, scope)
    return Section(Duty.SELF_REPORT_DUE, len(found), found[:SHOWN])


def _reports(services: Services, actor: Actor, today: date) -> Section:
    """The unit's reports not yet submitted: those due at the next cut-off and those already missed."""
    reference = services.ledger.reference
    if not owes_reports(reference, actor.organisation_id):
        return Section(Duty.REPORT_DUE, 0, [])
    view = services.reporting_queries.calendar(next_due_day(reference, today) or today, None, actor.organisation_id)
    waiting = [r for c in view.units for r in c.reports if r.submitted_on is None]
    waiting.sort(key=lambda r: r.deadline.due_on, reverse=True)  # the next first, then the latest missed
    return Section(Duty.REPORT_DUE, len(waiting), [{"report": r, "missed": r.missed} for r in waiting[:SHOWN]])


def my_work(services: Services, actor: Actor) -> list[Section]:
    now = services.ledger.clock.now()
    today = business_date(now)
    scope = read_scope(actor, services.ledger.reference)
    sections = []
    for duty in duties(actor):
        if duty is Duty.WARNING_TO_CONFIRM:
            sections.append(_warnings(services, scope, today))
        elif duty is Duty.SELF_REPORT_DUE:
            sections.append(_reminders(services, scope, now))
        elif duty is Duty.REPORT_DUE:
            sections.append(_reports(services, actor, today))
        else:
            sections.append(_hazards(services, duty, actor, scope, today))
    return sorted(sections, key=lambda s: s.total == 0)  # what waits first; the empty kinds after, in order


@router.get("/")
async def home(page: PageContext) -> Response:
    sections = await run_in_threadpool(my_work, page.services, page.actor)
    return render(page.request, "home.html", {"sections": sections}, actor=page.actor, area="work", title="我的工作")
