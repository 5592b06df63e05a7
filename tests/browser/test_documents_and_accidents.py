"""文书 and 事故统计 in a real browser: the 区安委办's clerk issues a 挂牌督办通知书 from a listed major's page (only
the kinds the domain allows offered; a form gone stale refused in place), downloads the PDF, records its
delivery, and finds it in the documents register; the accident statistics page shows the API's figures and
the monthly bulletin downloads; every new page without serious accessibility violations (axe)."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest

from domain.glossary import AccidentBreakdown, AccidentMeasure, DeliveryMethod, DocumentKind
from tests.browser.conftest import DESKTOP, PHONE, api_as, axe, no_horizontal_scroll, post_ok, screenshot

pytestmark = pytest.mark.browser
DOCUMENT_PAGE = re.compile(r"/ui/documents/([0-9a-f-]{36})\?done=")
AS_OF = "2023-06-30"  # in the demo's campaign: accidents this month and the year before




@pytest.fixture(scope="module")
def listed_major(live_server: str) -> dict[str, Any]:
    """A major the 区应急管理局's inspector found and listed for supervision (挂牌督办), of an enterprise that is
    not the phone tests' (their counts stay theirs); read back once the pages' read models have it."""
    inspector = api_as(live_server, "demo-inspector")
    staff = api_as(live_server, "demo-staff").get("/hazards", params={"limit": 1}).json()["items"][0]["enterprise_id"]
    firms = inspector.get("/enterprises", params={"limit": 100}).json()["items"]
    enterprise = next(e for e in firms if e["id"] != staff)
    description = f"浏览器测试：重大隐患挂牌督办 {uuid.uuid4().hex[:6]}"
    hazard = post_ok(inspector, "/hazards", {
        "enterprise_id": enterprise["id"], "grade": "major", "source": "department_inspection",
        "criterion": "《工贸企业重大事故隐患判定标准》第四条", "description": description,
    })["id"]  # fmt: skip
    listed = post_ok(inspector, f"/hazards/{hazard}/supervision", {
        "level": "district", "supervising_body": "呈贡区人民政府", "document_number": "呈安委督〔浏览器〕1号",
        "issuer": "呈贡区安全生产委员会", "time_limit": "2030-12-31",
    })  # fmt: skip
    assert api_as(live_server, "demo-office").get(f"/hazards/{hazard}", params={"min_position": listed["position"]}).json()["listed"]
    return {"id": hazard, "description": description, "enterprise": enterprise["name"]}


def _issue_form(page: Any, hazard_id: str) -> None:
    page.goto(f"/ui/hazards/{hazard_id}")
    section = page.locator("section.documents")
    section.get_by_role("link", name="出具文书").click()
    page.wait_for_url(f"**/ui/hazards/{hazard_id}/acts/document")


def test_a_clerk_issues_a_supervision_notice_downloads_it_and_records_its_delivery(
    page_as: Any, live_server: str, listed_major: dict[str, Any]
) -> None:
    page = page_as("demo-office", DESKTOP)
    _issue_form(page, listed_major["id"])
    # only what the domain allows now: a listed major that is not rectified yet
    offered = page.get_by_label("文书种类").locator("option").all_inner_texts()
    assert offered == ["请选择", DocumentKind.RECTIFICATION_ORDER.zh, DocumentKind.SUPERVISION_NOTICE.zh]
    assert axe(page) == []

    # someone changes the hazard meanwhile: the form (made from the version seen) is refused in place
    photo = b"\x89PNG\r\n\x1a\n" + uuid.uuid4().bytes
    post_ok(api_as(live_server, "demo-inspector"), f"/hazards/{listed_major['id']}/evidence", {
        "file_name": "现场.png", "media_type": "image/png", "content_base64": base64.b64encode(photo).decode(),
        "sha256": hashlib.sha256(photo).hexdigest(),
    })  # fmt: skip
    page.get_by_label("文书种类").select_option(DocumentKind.SUPERVISION_NOTICE.value)
    page.get_by_role("button", name="提交").click()
    refusal = page.get_by_role("alert")
    assert "版本" in refusal.inner_text()  # version_conflict, in the domain's Chinese
    assert page.get_by_label("文书种类").input_value() == DocumentKind.SUPERVISION_NOTICE.value  # what was chosen kept

    _issue_form(page, listed_major["id"])  # the form again, from the version as it is now
    page.get_by_label("文书种类").select_option(DocumentKind.SUPERVISION_NOTICE.value)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(DOCUMENT_PAGE)
    document_id = DOCUMENT_PAGE.search(page.url).group(1)  # type: ignore[union-attr]
    assert "已提交：出具文书" in page.get_by_role("status").inner_text()
    number = page.locator("#document-number").inner_text()
    assert re.fullmatch(r"呈安委办督办〔\d{4}〕\d+号", number), number
    assert page.get_by_role("heading", level=1).inner_text() == DocumentKind.SUPERVISION_NOTICE.zh
    assert axe(page) == []
    screenshot(page, "document-issued-office-1366x768")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert number in text and listed_major["enterprise"] in text
    assert page.locator("code.hash").inner_text() == hashlib.sha256(pdf).hexdigest()  # the bytes issued

    page.get_by_role("link", name="核验文件").click()
    page.wait_for_url(f"**/ui/documents/{document_id}/verification")
    assert "核验通过" in page.get_by_role("status").inner_text()
    assert axe(page) == []
    page.go_back()

    # 签收 is offered only after a delivery
    acts = page.locator(".acts")
    assert acts.get_by_role("link", name="登记文书签收").count() == 0
    acts.get_by_role("link", name="登记文书送达").click()
    page.wait_for_url(f"**/ui/documents/{document_id}/acts/delivery")
    page.get_by_label("送达方式").select_option(DeliveryMethod.IN_PERSON.value)
    page.get_by_label("受送达人").fill("李建国")
    assert axe(page) == []
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(DOCUMENT_PAGE)
    assert "已提交：登记文书送达" in page.get_by_role("status").inner_text()
    delivered = page.locator("section", has=page.get_by_role("heading", name="送达与签收"))
    assert "李建国" in delivered.inner_text() and DeliveryMethod.IN_PERSON.zh in delivered.inner_text()
    assert page.locator(".acts").get_by_role("link", name="登记文书签收").count() == 1

    # the hazard's 文书 section and the register list it, with its delivery
    page.goto(f"/ui/hazards/{listed_major['id']}")
    row = page.locator("section.documents tr", has_text=number)
    assert DeliveryMethod.IN_PERSON.zh in row.inner_text()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="文书").click()
    page.wait_for_url("**/ui/documents")
    page.get_by_label("文书种类").select_option(DocumentKind.SUPERVISION_NOTICE.value)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"kind=supervision_notice"))
    row = page.locator("table.documents tbody tr", has_text=number)
    assert row.count() == 1 and DeliveryMethod.IN_PERSON.zh in row.inner_text()
    assert axe(page) == []
    screenshot(page, "documents-register-office-1366x768")
    page.goto("/ui/documents?kind=closure_form")
    assert page.locator("table.documents tbody tr", has_text=number).count() == 0
    page.goto("/ui/documents?to=2000-01-01")
    assert page.locator(".empty").inner_text() == "没有符合条件的文书。"


def test_a_case_with_a_penalty_offers_its_penalty_summary(page_as: Any, live_server: str) -> None:
    office = api_as(live_server, "demo-office")
    cases = [office.get(f"/cases/{c['id']}").json() for c in office.get("/cases", params={"limit": 100}).json()["items"]]
    case = next(c for c in cases if c["penalties"])
    page = page_as("demo-office", DESKTOP)
    page.goto(f"/ui/cases/{case['id']}")
    page.locator("section.documents").get_by_role("link", name="出具文书").click()
    page.wait_for_url(f"**/ui/cases/{case['id']}/acts/document")
    offered = page.get_by_label("文书种类").locator("option").all_inner_texts()
    assert offered == ["请选择", DocumentKind.PENALTY_SUMMARY.zh]
    page.get_by_label("文书种类").select_option(DocumentKind.PENALTY_SUMMARY.value)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(DOCUMENT_PAGE)
    number = page.locator("#document-number").inner_text()
    page.get_by_role("link", name="执法案件").click()
    page.wait_for_url(f"**/ui/cases/{case['id']}")
    assert page.locator("section.documents tr", has_text=number).count() == 1
    assert axe(page) == []


def test_an_enterprise_reads_its_documents_and_issues_none(page_as: Any, live_server: str) -> None:
    page = page_as("demo-principal", PHONE)
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link", name="文书").count() == 1 and nav.get_by_role("link", name="事故统计").count() == 0
    page.goto("/ui/documents")
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    own = {d["id"] for d in api_as(live_server, "demo-principal").get("/documents").json()["items"]}
    shown = {href.split("/")[-1] for href in page.locator("table.documents td[data-label='文号'] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")}  # fmt: skip
    assert shown == own  # the API's list for the same reader (at most one page in the demo)
    hazard = api_as(live_server, "demo-principal").get("/hazards", params={"limit": 1}).json()["items"][0]["id"]
    page.goto(f"/ui/hazards/{hazard}")
    assert page.locator("section.documents").get_by_role("link", name="出具文书").count() == 0


def _figure(text: str) -> Decimal:
    return Decimal(text.strip())


def test_the_accident_statistics_show_the_apis_figures(page_as: Any, live_server: str) -> None:
    page = page_as("demo-office", DESKTOP)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="事故统计").click()
    page.wait_for_url("**/ui/accidents")
    page.get_by_label("截止日期").fill(AS_OF)
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(rf"as_of={AS_OF}"))
    office = api_as(live_server, "demo-office")
    api = office.get("/statistics/accidents", params={"as_of": AS_OF}).json()
    assert api["year_to_date"]["totals"]["count"] > 0  # the demo has accidents to compare
    for measure in AccidentMeasure:
        row = page.locator(f"#summary tr[data-measure='{measure.value}']")
        assert _figure(row.locator("[data-figure='month']").inner_text()) == Decimal(str(api["month"]["totals"][measure.value]))
        year = row.locator("[data-figure='year_to_date']").inner_text()
        assert _figure(year) == Decimal(str(api["year_to_date"]["totals"][measure.value]))
    for month in api["months"]:
        cells = page.locator(f"#months tr[data-month='{month['month']}']")
        for measure in AccidentMeasure:
            shown = cells.locator(f"[data-measure='{measure.value}']").inner_text()
            assert _figure(shown) == Decimal(str(month["totals"][measure.value])), (month["month"], measure)
    for breakdown in AccidentBreakdown:
        rows = api["breakdowns"][breakdown.value]
        assert page.locator(f"#by-{breakdown.value} tbody tr").count() == len(rows)
        for r in rows:
            count = page.locator(f"#by-{breakdown.value} tr[data-key='{r['key']}'] [data-measure='count']").inner_text()
            assert int(count) == r["year_to_date"]["totals"]["count"], (breakdown, r["key"])
    assert axe(page) == []
    screenshot(page, "accidents-office-1366x768")

    # a street's figures, chosen from the units the office may read
    page.get_by_label("统计单位").select_option("wulong")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r"unit=wulong"))
    street = office.get("/statistics/accidents", params={"as_of": AS_OF, "unit": "wulong"}).json()
    year = page.locator("#summary tr[data-measure='count'] [data-figure='year_to_date']").inner_text()
    assert int(year) == street["year_to_date"]["totals"]["count"]

    page.get_by_label("通报月份").fill("2023-06")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("下载本月事故情况通报")).click()
    assert download.value.path().read_bytes().startswith(b"PK")  # an XLSX (a zip)
    assert download.value.suggested_filename == "事故情况通报_乌龙街道_2023-06.xlsx"


def test_a_department_reads_its_own_accident_statistics_only(page_as: Any) -> None:
    page = page_as("demo-inspector", PHONE)
    page.goto("/ui/accidents")
    assert page.get_by_label("统计单位").locator("option").all_inner_texts() == ["区应急管理局"]
    assert axe(page) == []
    page.goto("/ui/accidents?unit=wulong")  # another unit's: the API's refusal (outside_scope), as a page
    assert page.get_by_role("heading", level=1).inner_text() == "无法显示"
    assert "无权" in page.get_by_role("alert").inner_text()
