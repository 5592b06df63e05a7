"""/ui/annexes/{1,2,3}: the three annex forms as printed (the XLSX's layout, ``web.annex_layout``), their
files, and the records behind any figure.

Every read is the API's: ``app.reports.read_annex`` (the unit by ``domain.read_scope.report_unit``, the
default cut-off, the calendar's warnings) as ``GET /api/v1/reports/{annex}``; the files are
``app.reports.annex_file`` as ``GET /api/v1/reports/{annex}.xlsx|.csv`` (the API takes bearer tokens, not
the pages' cookies, so the pages serve them too); a figure's records are ``services.annexes.lineage`` as
``GET /api/v1/reports/{annex}/lineage``. The 总览's KPI figures open ``/ui/annexes/kpi/cell?key=…``: the same
lineage (``GET /api/v1/reports/kpi/lineage``), each part of the rate (numerator, denominator) with its records.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from adapters.annex_files import cell_text
from app.reports import AnnexRead, annex_file, read_annex, report_day, unit_name
from domain.annex_forms import ANNEX1_TITLE, ANNEX2_TITLE, ANNEX3_TITLE, annex1_item
from domain.errors import DomainError
from domain.glossary import Kpi
from domain.read_scope import report_unit, report_units
from domain.reporting_calendar import cut_offs, report_warnings
from web.annex_layout import DrillDown, form
from web.render import render
from web.routing import PageRoute
from web.session import Page, PageContext, apply_cookies

router = APIRouter(route_class=PageRoute)
Text = Annotated[str, Query(max_length=64)]
TITLES = {"1": ANNEX1_TITLE, "2": ANNEX2_TITLE, "3": ANNEX3_TITLE}
ROLL_UP = "全区汇总"  # the choice of no unit: the district's roll-up, filled in by the 区安委办
KPI = "kpi"  # /ui/annexes/kpi/cell: a KPI's records (its lineage's "annex")
KPI_SUFFIX = {Kpi.DYNAMIC_RECTIFICATION_RATE: "%", Kpi.MAJORS_PER_THOUSAND_DEPARTMENT_INSPECTIONS: "", Kpi.SELF_FOUND_RATE: "%"}
# The parts of a KPI (projections.annex_reports.KPI_DEFINITIONS: numerator, then denominator), named as the forms do.
KPI_PART_NAMES = {
    "majors": "发现重大隐患",
    "majors_rectified": "已完成治理的重大隐患",
    "self_found": "企业自查发现的重大事故隐患",
    "found_by_department_inspection": "部门检查发现的重大事故隐患",
    "department_inspections": "部门执法检查次数",
}


def _annex(n: str) -> str:
    if n not in TITLES:
        raise DomainError("unknown_annex", annex=n, known="1, 2, 3")
    return f"annex{n}"


def parse_day(value: str, field: str = "as_of") -> date | None:
    """A date of a page's form (empty: none); a malformed one is the API's ``invalid_value`` (422)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            "invalid_value", field=field, reason="a date YYYY-MM-DD", reason_zh="应为日期（年-月-日）", limit="YYYY-MM-DD"
        ) from None


def address(path: str, **params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return path + (f"?{query}" if query else "")


def unit_choices(page: Page) -> list[tuple[str, str]]:
    """(value, name) of each unit the reader may ask for; "" is the roll-up (or, for a unit, its own)."""
    units = report_units(page.actor, page.services.ledger.reference)
    return [("", ROLL_UP) if u is None else (u, unit_name(page.services, u)) for u in units]


def _read(page: Page, annex: str, unit: str, as_of: str) -> Any:
    return run_in_threadpool(read_annex, page.services, page.actor, annex, unit or None, parse_day(as_of), None)


def _download(page: Page, n: str, fmt: str, unit: str, as_of: str) -> Response:
    printed = annex_file(page.services, page.actor, _annex(n), fmt, unit or None, parse_day(as_of), None)
    response = Response(printed.body, media_type=printed.media_type)
    for key, value in printed.headers:
        response.headers.append(key, value)
    return apply_cookies(response, page.request)


# The files first: "/annexes/{n}" would take "1.xlsx" as its n.
@router.get("/annexes/{n}.xlsx")
async def annex_xlsx(page: PageContext, n: str, unit: Text = "", as_of: Text = "") -> Response:
    return await run_in_threadpool(_download, page, n, "xlsx", unit, as_of)


@router.get("/annexes/{n}.csv")
async def annex_csv(page: PageContext, n: str, unit: Text = "", as_of: Text = "") -> Response:
    return await run_in_threadpool(_download, page, n, "csv", unit, as_of)


def _picker(page: Page, annex: str, read: AnnexRead) -> dict[str, Any]:
    """The unit and cut-off choices: the calendar's cut-offs of the annex (Annex 3, filed once: Annex 2's
    too), the default (the latest cut-off, as the API's) and the day shown, newest first."""
    reference = page.services.ledger.reference
    days = {*cut_offs(reference.reporting, reference.campaign, annex), read.day, report_day(None)}
    if annex == "annex3":
        days |= set(cut_offs(reference.reporting, reference.campaign, "annex2"))
    return {"units": unit_choices(page), "days": sorted(days, reverse=True), "unit": read.unit or ""}


@router.get("/annexes/{n}")
async def annex_page(page: PageContext, n: str, unit: Text = "", as_of: Text = "") -> Response:
    annex = _annex(n)

    def laid_out() -> dict[str, Any]:  # the read and its layout (≈ a thousand cells) off the event loop
        read = read_annex(page.services, page.actor, annex, unit or None, parse_day(as_of), None)
        chosen = {"unit": read.unit or "", "as_of": read.day.isoformat()}
        drill = DrillDown(f"/ui/annexes/{n}/cell", chosen)
        return {
            "n": n, "read": read, "form": form(read.sheet(), drill), "titles": TITLES, **_picker(page, annex, read),
            "xlsx": address(f"/ui/annexes/{n}.xlsx", **chosen), "csv": address(f"/ui/annexes/{n}.csv", **chosen),
        }  # fmt: skip

    context = await run_in_threadpool(laid_out)
    return render(page.request, "annexes/form.html", context, actor=page.actor, area="annexes", title=f"附件{n}")


def kpi_cell_url(key: str, as_of: str, unit: str = "") -> str:
    """Where a KPI figure of the 总览 links to: the records behind it."""
    return address(f"/ui/annexes/{KPI}/cell", key=key, unit=unit, as_of=as_of)


@router.get("/annexes/{n}/cell")
async def annex_cell(
    page: PageContext, n: str, key: Text, row: Text = "", figure: Text = "", unit: Text = "", as_of: Text = ""
) -> Response:
    if n == KPI:
        return await _kpi_cell(page, key, unit, as_of)
    annex = _annex(n)
    read = await _read(page, annex, unit, as_of)
    wanted = {k: v for k, v in (("key", key), ("row", row), ("figure", figure)) if v}
    # The cell as the form shows it (its figure, its row's and column's labels); an address no cell has is 404.
    found = _find(read, wanted)
    if found is None:
        raise DomainError("unknown_cell", annex=annex, key=key)
    shown, labels = found
    lineage = await run_in_threadpool(
        page.services.annexes.lineage, annex, key, read.unit, read.day, None, row=row or "cumulative", figure=figure or None
    )
    context = {
        "n": n, "read": read, "shown": shown, "labels": labels, "lineage": lineage,
        "back": address(f"/ui/annexes/{n}", unit=read.unit or "", as_of=read.day.isoformat()), "back_label": f"返回附件{n}",
        "part_names": {},
    }  # fmt: skip
    title = f"附件{n}：{' · '.join(labels)}"
    return render(page.request, "annexes/cell.html", context, actor=page.actor, area="annexes", title=title)


async def _kpi_cell(page: Page, key: str, unit: str, as_of: str) -> Response:
    """A KPI's records: the unit and cut-off as the 总览's (``report_unit``: an enterprise is refused), the KPI as
    ``GET /api/v1/kpis`` answers it, its parts as ``GET /api/v1/reports/kpi/lineage``."""
    if key not in Kpi._value2member_map_:
        raise DomainError("unknown_cell", annex=KPI, key=key)
    kpi = Kpi(key)
    unit_id = report_unit(page.actor, unit or None)
    day = report_day(parse_day(as_of))
    services = page.services

    def read() -> tuple[dict[str, Any], dict[str, Any]]:
        return services.annexes.kpis(unit_id, day, None), services.annexes.lineage(KPI, key, unit_id, day, None)

    kpis, lineage = await run_in_threadpool(read)
    parts = list(lineage["parts"])
    roles = dict(zip(parts, ("分子", "分母"), strict=False))
    names = {p: f"{KPI_PART_NAMES.get(p, p)}（{roles.get(p, '')}）" for p in parts}
    summary = {"unit_name": kpis["unit_name"], "day": day, "warnings": report_warnings(services.ledger.reference, day)}
    context = {
        "n": KPI, "read": summary, "shown": f"{kpis[key]}{KPI_SUFFIX[kpi]}", "labels": [kpi.zh], "lineage": lineage,
        "back": address("/ui/overview", as_of=day.isoformat()), "back_label": "返回总览", "part_names": names,
    }  # fmt: skip
    return render(page.request, "annexes/cell.html", context, actor=page.actor, area="overview", title=kpi.zh)


def _find(read: AnnexRead, wanted: dict[str, str]) -> tuple[str, list[str]] | None:
    """The figure shown in the cell with this lineage, and the labels that name it: its item's or row's (the
    nearest label to its left: Annex 1 prints two items a row), its caption beside it when the item has two
    figures (次 | 万元), its column's."""
    sheet = read.sheet()
    for r, row in enumerate(sheet.rows, 1):
        for c, cell in enumerate(row, 1):
            if cell is not None and cell.lineage == wanted:
                left = (sheet.shown(r, x) for x in range(c - 1, 0, -1))
                names = [next(x.value for x in left if x is not None and x.style == "label")]
                if "figure" in wanted and len(annex1_item(wanted["key"]).figures) > 1:
                    names.append(cell_text(sheet.shown(r, c + 1)))
                columns = {c["key"]: c["label"] for c in read.table.get("columns", [])}
                return cell_text(cell), names + ([columns[wanted["key"]]] if wanted["key"] in columns else [])
    return None
