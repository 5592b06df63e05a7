"""Reference data loaded at start: sector rows (行业领域), reporting units, the campaign, rule settings.

The taxonomy is data (``domain/reference/``), not code. A deployment may point
``load_reference(path)`` at its own TOML; the sector CSV ships with the package.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from domain.errors import DomainError
from domain.glossary import OrgKind


@dataclass(frozen=True)
class Sector:
    """An Annex 2 row. A row with a ``parent`` is a "其中" subset of it."""

    id: str
    name: str
    parent: str | None
    plan_section: str
    lead_unit_ids: tuple[str, ...]
    assumption: str


@dataclass(frozen=True)
class Unit:
    """A reporting unit (填报单位): department, street, zone or the safety committee office."""

    id: str
    name: str
    kind: OrgKind


@dataclass(frozen=True)
class Phase:
    name: str
    end: date


@dataclass(frozen=True)
class Campaign:
    name: str
    start: date
    end: date
    document: str
    phases: tuple[Phase, ...]


@dataclass(frozen=True)
class PeriodicReport:
    """A report owed on each of ``days`` of every month (an annex form, its cut-off that day), from the
    first such day on or after ``since`` to the campaign's end (报送日历, domain/reporting_calendar.py)."""

    annex: str
    title: str
    days: tuple[int, ...]
    since: date

    @property
    def report(self) -> str:
        return self.annex


@dataclass(frozen=True)
class FixedReport:
    """A one-off report due on ``due``. ``annex``: the form submitted in the ledger (its cut-off ``due``);
    None: a report on paper, listed but never judged here."""

    report: str
    title: str
    due: date
    annex: str | None = None


@dataclass(frozen=True)
class ReportingCalendar:
    """What the units of kinds ``owed_by`` owe the safety committee office (区安委办), and by when."""

    owed_by: tuple[OrgKind, ...] = ()
    periodic: tuple[PeriodicReport, ...] = ()
    fixed: tuple[FixedReport, ...] = ()


@dataclass(frozen=True)
class LedgerRules:
    """Configurable thresholds, with the defaults documented in README.md."""

    report_to_regulator_hours: int = 24
    resumption_review_days: int = 10
    backdate_days: int = 3650
    evidence_max_bytes: int = 20 * 1024 * 1024
    # enforcement: plan rule 3 (重大事故隐患长期存在并多次受到处罚): a major open at least this many days
    # and penalised at least this many times marks its case for a closure recommendation.
    repeat_offender_open_days: int = 90
    repeat_offender_penalties: int = 2
    # end enforcement
    # warnings (分级警示, domain/warning_rules.py): a major hazard with no rectification plan this many
    # days after its report is a failed duty of the units it counts for (提示).
    plan_due_days: int = 7
    # Accident records are complete from this date on; a quarter is compared year on year (告诫) only
    # when the same quarter of the previous year starts on or after it. None: the campaign start.
    accident_records_start: date | None = None
    # end warnings
    # accountability (domain/accountability_rules.py): a passed verification followed, within this many
    # days, by the same enterprise and criterion clause reported again or by an accident there puts the
    # verifier on the "verified but recurred" list (跟踪整改不到位) …
    recurrence_window_days: int = 180
    # … and a hazard cited by a penalty decision, past its rectification deadline and not rectified, is on
    # the "penalised but not rectified" list (以罚代管、罚而不管) from the decision's day on; a grace of this
    # many days after the decision is an optional local policy (0: none, as the plan says).
    penalised_open_days: int = 0
    # end accountability
    # extension on request (申请延期, domain/hazard_extension.py): how many times a hazard's deadline may be
    # extended (approved requests and recorded paper decisions alike), and by how many days at most each time.
    extension_max_count: int = 1
    extension_max_days: int = 30
    # personal signatures: every signed act must carry one (HAZARD_REQUIRE_SIGNATURES; 0 or 1)
    require_signatures: bool = False

    def overridden(self, values: dict[str, str]) -> LedgerRules:
        """Returns a copy with the given settings (strings, e.g. from the environment) applied."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in known:
                raise DomainError("invalid_value", field=name, reason="unknown rule", reason_zh="未知规则")
            try:
                changes[name] = int(raw) if known[name] != "bool" else _flag(raw)
            except ValueError:
                raise DomainError("invalid_value", field=name, reason="not an integer", reason_zh="不是整数") from None
        return replace(self, **changes)


def _flag(raw: str) -> bool:
    if raw.strip().lower() in ("1", "true", "yes"):
        return True
    if raw.strip().lower() in ("0", "false", "no", ""):
        return False
    raise ValueError(raw)


@dataclass(frozen=True)
class ReferenceData:
    district_code: str
    district_name: str
    city: str
    campaign: Campaign
    rules: LedgerRules
    units: dict[str, Unit]
    sectors: dict[str, Sector] = field(repr=False)
    reporting: ReportingCalendar = ReportingCalendar()

    def sector(self, sector_id: str) -> Sector:
        try:
            return self.sectors[sector_id]
        except KeyError:
            raise DomainError("unknown_sector", sector=sector_id) from None

    def unit(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise DomainError("unknown_department", department=unit_id) from None

    def jurisdiction(self, unit_id: str) -> Unit:
        """A street or the zone (属地)."""
        unit = self.units.get(unit_id)
        if unit is None or unit.kind not in (OrgKind.STREET, OrgKind.ZONE):
            raise DomainError("unknown_jurisdiction", jurisdiction=unit_id)
        return unit

    def department(self, unit_id: str) -> Unit:
        unit = self.units.get(unit_id)
        if unit is None or unit.kind not in (OrgKind.DEPARTMENT, OrgKind.COMMITTEE_OFFICE, OrgKind.ZONE):
            raise DomainError("unknown_department", department=unit_id)
        return unit

    def lead_unit(self, sector_id: str) -> Unit:
        """The unit a record of this sector counts for: the first lead department (DESIGN §5)."""
        return self.units[self.sector(sector_id).lead_unit_ids[0]]

    @property
    def jurisdictions(self) -> list[Unit]:
        return [u for u in self.units.values() if u.kind in (OrgKind.STREET, OrgKind.ZONE)]


def _read_sectors(text: str, unit_ids_by_name: dict[str, str]) -> dict[str, Sector]:
    sectors: dict[str, Sector] = {}
    for row in csv.DictReader(io.StringIO(text)):
        leads = []
        for name in row["lead_departments"].split(";"):
            if name not in unit_ids_by_name:
                raise ValueError(f"sector {row['id']}: lead department {name!r} is not a unit")
            leads.append(unit_ids_by_name[name])
        sectors[row["id"]] = Sector(
            id=row["id"],
            name=row["name"],
            parent=row["parent"] or None,
            plan_section=row["plan_section"],
            lead_unit_ids=tuple(leads),
            assumption=row["assumption"],
        )
    for sector in sectors.values():
        if sector.parent and sector.parent not in sectors:
            raise ValueError(f"sector {sector.id}: unknown parent {sector.parent}")
    return sectors


def _read_reporting(config: dict[str, Any]) -> ReportingCalendar:
    """The ``[reporting]`` section; a district without one owes no report."""
    r = config.get("reporting", {})
    periodic = tuple(
        PeriodicReport(annex=p["annex"], title=p["title"], days=tuple(sorted(p["days"])), since=p["since"])
        for p in r.get("periodic", [])
    )
    fixed = tuple(
        FixedReport(report=f["report"], title=f["title"], due=f["due"], annex=f.get("annex")) for f in r.get("fixed", [])
    )
    for p in periodic:
        if not p.days or any(not 1 <= day <= 28 for day in p.days):
            raise ValueError(f"reporting {p.annex}: days must lie between 1 and 28 (every month has them)")
    return ReportingCalendar(owed_by=tuple(OrgKind(kind) for kind in r.get("owed_by", [])), periodic=periodic, fixed=fixed)


def load_reference(path: Path | None = None) -> ReferenceData:
    """Loads the district's reference data; the packaged Chenggong district by default."""
    package = resources.files("domain") / "reference"
    toml_text = path.read_text("utf-8") if path else (package / "district.toml").read_text("utf-8")
    config = tomllib.loads(toml_text)
    units = {u["id"]: Unit(id=u["id"], name=u["name"], kind=OrgKind(u["kind"])) for u in config["units"]}
    sectors = _read_sectors((package / "sectors.csv").read_text("utf-8"), {u.name: u.id for u in units.values()})
    c = config["campaign"]
    campaign = Campaign(
        name=c["name"],
        start=c["start"],
        end=c["end"],
        document=c.get("document", ""),
        phases=tuple(Phase(p["name"], p["end"]) for p in c.get("phases", [])),
    )
    return ReferenceData(
        district_code=config["district"]["code"],
        district_name=config["district"]["name"],
        city=config["district"]["city"],
        campaign=campaign,
        rules=LedgerRules(**config.get("rules", {})),
        units=units,
        sectors=sectors,
        reporting=_read_reporting(config),
    )
