"""Accident statistics (事故统计) and the 区安委办's monthly accident bulletin as the API, the CLI and the
pages read them: one place that names the reader's unit (``report_unit``: a unit its own, the district
roles any or the district), the day and the recording time, so every entry point prints the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adapters.accident_bulletin import bulletin_file_name, bulletin_xlsx
from adapters.annex_files import XLSX_MEDIA_TYPE
from app.reports import AnnexFile, attachment, known, unit_name
from app.wiring import Services
from domain.accident_statistics import AccidentRecord, AccidentStatistics, bulletin_day, place_names
from domain.actor import Actor
from domain.business_time import CHINA_TZ, business_date
from domain.figures import wan_yuan
from domain.glossary import AccidentBreakdown, AccidentMeasure, AccidentPeriod, Comparison
from domain.read_scope import report_unit
from domain.report_submission import DISTRICT
from projections.process_queries import AsOf
from projections.rowstate import utc


@dataclass(frozen=True)
class AccidentRead:
    """Accident statistics as one reader may read them."""

    unit: str | None
    unit_name: str
    known_at: datetime | None
    statistics: AccidentStatistics

    def view(self, services: Services) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "known_at": self.known_at.isoformat() if self.known_at else None,
            **self.statistics.view(),
            "accidents": [_accident(services, a) for a in self.statistics.accidents],
            "labels": {term.value: term.zh for terms in LABELLED for term in terms},
        }


LABELLED = (AccidentMeasure, AccidentPeriod, Comparison, AccidentBreakdown)


def read_accidents(
    services: Services, who: Actor, unit: str | None, as_of: date | None, known_at: datetime | None
) -> AccidentRead:
    """The statistics as of ``as_of`` (default today) and as known at ``known_at`` (default now)."""
    unit = report_unit(who, unit)
    day = as_of or business_date(services.ledger.clock.now())
    at = utc(known(known_at))
    stats = services.accident_statistics.statistics(AsOf(day, at), unit)
    return AccidentRead(unit, unit_name(services, unit), at, stats)


def bulletin_file(services: Services, who: Actor, month: str, unit: str | None) -> AnnexFile:
    """本月生产安全事故情况通报 of ``month`` (YYYY-MM) as XLSX: as of its last day (today during the month)."""
    day = bulletin_day(month, business_date(services.ledger.clock.now()))
    read = read_accidents(services, who, unit, day, None)
    body = bulletin_xlsx(read.statistics, services.ledger.reference, read.unit_name)
    chinese = bulletin_file_name(read.unit_name, month)
    fallback = f"accident_bulletin_{read.unit or DISTRICT}_{month}.xlsx"
    return AnnexFile(body, XLSX_MEDIA_TYPE, [attachment(chinese, fallback)])


def _accident(services: Services, a: AccidentRecord) -> dict[str, Any]:
    sector_name, jurisdiction_name = place_names(services.ledger.reference, a)
    return {
        "id": a.accident_id,
        "occurred_at": a.occurred_at.astimezone(CHINA_TZ).isoformat(),
        "grade": a.grade.value,
        "grade_zh": a.grade.zh,
        "sector": a.sector,
        "sector_name": sector_name,
        "jurisdiction": a.jurisdiction,
        "jurisdiction_name": jurisdiction_name,
        "enterprise_name": a.enterprise_name,
        "location": a.location,
        "description": a.description,
        "deaths": a.deaths,
        "injuries": a.injuries,
        "direct_loss_yuan": a.direct_loss_yuan,
        "direct_loss_wan": wan_yuan(a.direct_loss_yuan),
    }
