"""The navigation: one entry per area, shown to the roles that may use it (the rules are domain's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.actor import Actor
from domain.ledger_import import imports_ledgers
from domain.read_scope import reads_audit_log, reads_records, reads_reports


@dataclass(frozen=True)
class Area:
    key: str
    label: str  # Chinese, as shown
    path: str | None  # None: the area's pages are not built yet (not shown)
    may_use: Callable[[Actor], bool]


def _everyone(_: Actor) -> bool:
    return True


# In the order shown. A new area's page sets its path here; its access rule is domain/read_scope.py's.
AREAS: tuple[Area, ...] = (
    Area("work", "我的工作", "/ui/", _everyone),
    Area("overview", "总览", "/ui/overview", reads_reports),
    Area("hazards", "隐患", "/ui/hazards", reads_records),
    Area("documents", "文书", "/ui/documents", reads_records),  # an enterprise: those addressed to it
    Area("imports", "导入台账", "/ui/imports", imports_ledgers),
    Area("annexes", "附表", "/ui/annexes/1", reads_reports),
    Area("accidents", "事故统计", "/ui/accidents", reads_reports),
    Area("audit", "审计", "/ui/audit", reads_audit_log),
)


def areas_for(actor: Actor) -> list[Area]:
    return [area for area in AREAS if area.path is not None and area.may_use(actor)]
