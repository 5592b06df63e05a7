"""The annex tables as the API, the CLI and the paperwork read them: one place that picks the table of
an annex and names its unit, so every entry point prints the same figures; and the reporting calendar
(报送日历) in the one shape the API answers and the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from adapters.annex_files import CSV_MEDIA_TYPE, NOBODY, XLSX_MEDIA_TYPE, Filler, Sheet, annex_sheet, file_name, to_csv, to_xlsx
from app.wiring import Services
from domain.access import mask_phones, phones_visible
from domain.actor import Actor
from domain.bounds import known_time
from domain.business_time import business_date
from domain.read_scope import report_unit
from domain.report_submission import DISTRICT, check_annex
from domain.reporting_calendar import CalendarWarning, DueReport, report_warnings
from domain.reporting_calendar import report_day as cut_off_of


def report_day(as_of: date | None) -> date:
    """The cut-off asked for, or the latest one (today's date when today is one)."""
    return cut_off_of(as_of, business_date(datetime.now(UTC)))


def known(known_at: datetime | None) -> datetime | None:
    """The system time the figures are read as known at (None: now), within the domain's bounds."""
    return known_time(known_at, business_date(datetime.now(UTC)))


def annex_table(services: Services, annex: str, unit: str | None, as_of: date, known_at: datetime | None) -> dict[str, Any]:
    """One annex's table (Annex 3 lists risk points as they are now: no cut-off)."""
    check_annex(annex)
    if annex == "annex1":
        return services.annexes.annex1(unit, as_of, known_at)
    if annex == "annex2":
        return services.annexes.annex2(unit, as_of, known_at)
    return services.annexes.annex3(unit)


def unit_name(services: Services, unit: str | None) -> str:
    units = services.ledger.reference.units
    return units[unit].name if unit in units else units["ajb"].name


MEDIA_TYPES = {"xlsx": XLSX_MEDIA_TYPE, "csv": CSV_MEDIA_TYPE}
WARNING_HEADER = "X-Report-Warning"


@dataclass(frozen=True)
class AnnexRead:
    """One annex as one reader may read it: the unit (``report_unit``), the cut-off, the table (Annex 3's
    phones masked unless their role sees them) and the reporting calendar's warnings for the day."""

    annex: str
    unit: str | None
    unit_name: str
    day: date
    table: dict[str, Any]
    warnings: list[CalendarWarning]
    filler: Filler = NOBODY

    def sheet(self) -> Sheet:
        """The printed form's layout (the file's, and the pages')."""
        return annex_sheet(self.annex, self.table, unit_name=self.unit_name, filled_on=self.day, filler=self.filler)


def read_annex(
    services: Services, who: Actor, annex: str, unit: str | None, as_of: date | None, known_at: datetime | None
) -> AnnexRead:
    check_annex(annex)
    unit = report_unit(who, unit)
    day = report_day(as_of)
    table = annex_table(services, annex, unit, day, known(known_at))
    if annex == "annex3" and not phones_visible(who):
        mask_phones(table["rows"])
    warnings = report_warnings(services.ledger.reference, day)
    filler = submission_filler(services, annex, unit, day, known(known_at))
    return AnnexRead(annex, unit, unit_name(services, unit), day, table, warnings, filler)


def submission_filler(services: Services, annex: str, unit: str | None, day: date, known_at: datetime | None) -> Filler:
    """审核人, 填报联系人 and 联系电话 of the form: those of the unit's latest submission of the annex for the
    cut-off (as known at ``known_at``); blanks when it has none."""
    submissions = services.ledger.reports.submissions(annex, unit=unit or DISTRICT, as_of=day)
    known = [s for s in submissions if known_at is None or datetime.fromisoformat(s["known_at"]) <= known_at]
    if not known:
        return NOBODY
    latest = max(known, key=lambda s: s["sequence"])
    return Filler(latest["reviewer"], latest["submitted_by"]["name"], latest["contact_phone"])


@dataclass(frozen=True)
class AnnexFile:
    """An annex printed as a file, with the headers that name it and carry the report's warnings."""

    body: bytes
    media_type: str
    headers: list[tuple[str, str]]


def annex_file(
    services: Services, who: Actor, annex: str, fmt: str, unit: str | None, as_of: date | None, known_at: datetime | None
) -> AnnexFile:
    """The annex printed as ``xlsx`` or ``csv`` — for the API's and the pages' downloads alike."""
    read = read_annex(services, who, annex, unit, as_of, known_at)
    body = to_xlsx(read.sheet()) if fmt == "xlsx" else to_csv(read.sheet())
    headers = download_headers(annex, fmt, read.unit, read.unit_name, read.day, read.warnings)
    return AnnexFile(body, MEDIA_TYPES[fmt], headers)


def download_headers(
    annex: str, fmt: str, unit: str | None, name: str, day: date, warnings: list[CalendarWarning]
) -> list[tuple[str, str]]:
    """The file's Chinese name (RFC 5987 ``filename*``) and an ASCII fallback. A file has no body to carry
    the report's warnings: each is a header ``X-Report-Warning: <code>; message_zh*=UTF-8''<percent-
    encoded>; message_en="<text>"`` (the JSON routes' ``warnings``), and the codes a ``Warning: 299``."""
    fallback = f"{annex}_{unit or DISTRICT}_{day.isoformat()}.{fmt}"
    headers = [attachment(file_name(annex, name, day, fmt), fallback)]
    for w in warnings:
        english = w.message_en.replace("\\", "").replace('"', "'")
        zh = quote(w.message_zh, safe="")
        headers.append((WARNING_HEADER, f'{w.code.value}; message_zh*=UTF-8\'\'{zh}; message_en="{english}"'))
        headers.append(("Warning", f'299 hazard-ledger "{w.code.value}: {english}"'))
    return headers


def attachment(chinese: str, fallback: str) -> tuple[str, str]:
    """A download's ``Content-Disposition``: its Chinese name (RFC 5987 ``filename*``) and an ASCII fallback."""
    return "Content-Disposition", f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(chinese, safe='')}"


def calendar_view(services: Services, as_of: date, known_at: datetime | None, unit: str | None) -> dict[str, Any]:
    """The reporting calendar (报送日历) as of ``as_of`` — every owing unit's due reports (or ``unit``'s),
    with their status, who is late (``late``: reports submitted late or not at all), the ``ReportMissed``
    facts (``missed``), the one-off reports on paper due by then (``paper``, not judged) and the
    warnings of the day (outside the campaign)."""
    reference = services.ledger.reference
    view = services.reporting_queries.calendar(as_of, known_at, unit)
    units = []
    late = []
    for c in view.units:
        name = reference.units[c.unit_id].name
        reports = [_due_report(r) for r in c.reports]
        overdue = [r["key"] for r in reports if r["missed"]]
        units.append({"unit": c.unit_id, "unit_name": name, "reports": reports, "overdue": overdue})
        late.extend({"unit": c.unit_id, "unit_name": name, **r} for r in reports if r["missed"])
    late.sort(key=lambda r: (r["due_on"], r["unit"], r["report"]))
    return {
        "as_of": as_of.isoformat(),
        "known_at": known_at.isoformat() if known_at else None,
        "unit": unit,
        "units": units,
        "late": late,
        "missed": [
            {"unit": m.unit_id, "report": m.report, "period": m.period, "key": m.key,
             "due_on": m.due_on.isoformat(), "missed_on": m.missed_on.isoformat()}
            for m in view.missed
        ],  # fmt: skip
        "paper": [{"report": f.report, "title": f.title, "due_on": f.due.isoformat()} for f in view.paper],
        "warnings": [w.as_dict() for w in report_warnings(reference, as_of)],
    }


def _due_report(r: DueReport) -> dict[str, Any]:
    d = r.deadline
    return {
        "report": d.report,
        "annex": d.annex,
        "title": d.title,
        "period": d.period,
        "key": d.key,
        "due_on": d.due_on.isoformat(),
        "status": r.status.value,
        "status_zh": r.status.zh,
        "missed": r.missed,
        "submitted_on": r.submitted_on.isoformat() if r.submitted_on else None,
        "submission_id": str(r.submission_id) if r.submission_id else None,
    }
