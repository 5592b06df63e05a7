"""Official documents (文书) as files: PDF (reportlab, A4) for printing and sending, DOCX (python-docx) for editing.

What a document says comes from the domain (``domain/document.py``: ``DocumentContent``); this module only
lays it out. The PDF is deterministic — reportlab's ``invariant`` mode (fixed document id) and the issue's
business time as its creation date — so the same document rendered again has the same bytes and the
SHA-256 stored in ``DocumentIssued`` can be re-checked (``DocumentApplication.verify``). The DOCX is for
editing and is not hashed.

The Chinese text needs a TrueType CJK font from a Debian package: reportlab cannot embed the CFF
outlines of fonts-noto-cjk, so it uses fonts-wqy-zenhei (``make`` installs it; ``HAZARD_DOCUMENT_FONT``
names another .ttf/.ttc). No font is downloaded at run time.
"""

from __future__ import annotations

import io
import os
from datetime import datetime
from pathlib import Path

from domain.business_time import business_date
from domain.document import DocumentContent, zh_date

FONT_NAME = "HazardLedgerCJK"
# TrueType CJK fonts of Debian packages, first found wins (fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
SEAL_PLACEHOLDER = "（盖章）"
_registered: str | None = None


class FontMissing(RuntimeError):
    pass


def font_path() -> str:
    configured = os.environ.get("HAZARD_DOCUMENT_FONT", "").strip()
    for candidate in (configured, *FONT_CANDIDATES) if configured else FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    raise FontMissing(
        "no TrueType CJK font for documents: install Debian's fonts-wqy-zenhei (make .venv/.installed does) "
        "or set HAZARD_DOCUMENT_FONT to a .ttf/.ttc"
    )


def _font() -> str:
    global _registered
    if _registered is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(FONT_NAME, font_path(), subfontIndex=0))
        _registered = FONT_NAME
    return _registered


def _pdf_date(at: datetime) -> str:
    """The PDF's CreationDate: the issue's business time (China time), not the moment of rendering."""
    return at.strftime("D:%Y%m%d%H%M%S+08'00'")


def _signature_block(issuing_unit: str, issued_at: datetime) -> list[str]:
    return [issuing_unit, zh_date(business_date(issued_at)), SEAL_PLACEHOLDER]


def _footer(number: str) -> str:
    return f"文号：{number}　本文书由事故隐患台账依据记录的事件生成，其 SHA-256 记载于审计日志"


class DocumentRenderer:
    """The files of a document (``domain.services.documents.DocumentRenderer``)."""

    def pdf(self, content: DocumentContent, *, number: str, issuing_unit: str, issued_at: datetime) -> bytes:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER, TA_RIGHT
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

        font = _font()
        base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
        plain = ParagraphStyle("plain", parent=base, firstLineIndent=0)
        unit = ParagraphStyle("unit", parent=plain, fontSize=20, leading=28, alignment=TA_CENTER, textColor=colors.red)
        title = ParagraphStyle("title", parent=plain, fontSize=18, leading=26, alignment=TA_CENTER)
        centre = ParagraphStyle("centre", parent=plain, alignment=TA_CENTER)
        right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)
        cell = ParagraphStyle("cell", parent=plain, fontSize=10.5, leading=15)
        small = ParagraphStyle("small", parent=plain, fontSize=8, leading=11, textColor=colors.grey)

        def esc(text: str) -> str:
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        story: list = [
            Paragraph(esc(issuing_unit), unit),
            Spacer(1, 2 * mm),
            Paragraph(esc(content.title), title),
            Spacer(1, 2 * mm),
            Paragraph(esc(number), centre),
            Spacer(1, 6 * mm),
            Paragraph(esc(content.addressee) + "：", plain),
        ]
        story += [Paragraph(esc(p), base) for p in content.paragraphs]
        story.append(Spacer(1, 3 * mm))
        rows = [[Paragraph(esc(label), cell), Paragraph(esc(value), cell)] for label, value in content.facts]
        table = Table(rows, colWidths=[40 * mm, 125 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 3 * mm), Paragraph("法律依据：" + esc(content.legal_basis), base), Spacer(1, 12 * mm)]
        story += [Paragraph(esc(line), right) for line in _signature_block(issuing_unit, issued_at)]
        story += [Spacer(1, 10 * mm), Paragraph(esc(_footer(number)), small)]

        created = _pdf_date(issued_at)

        def first_page(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback
            canvas.setDateFormatter(lambda *_: created)

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
            title=f"{content.title} {number}", author=issuing_unit, subject=content.addressee,
            creator="hazard-ledger", invariant=1,
        )  # fmt: skip
        doc.build(story, onFirstPage=first_page, onLaterPages=first_page)
        return buffer.getvalue()

    def docx(self, content: DocumentContent, *, number: str, issuing_unit: str, issued_at: datetime) -> bytes:
        from docx import Document as Docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        doc = Docx()
        normal = doc.styles["Normal"]
        normal.font.name = "SimSun"
        normal.font.size = Pt(12)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
        core = doc.core_properties
        core.title, core.author, core.subject = f"{content.title} {number}", issuing_unit, content.addressee
        core.created = core.modified = issued_at.replace(tzinfo=None)

        def line(text: str, *, size: float = 12, bold: bool = False, align: int | None = None, red: bool = False) -> None:
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(text)
            run.font.size, run.bold = Pt(size), bold
            if red:
                run.font.color.rgb = RGBColor(0xC0, 0, 0)
            if align is not None:
                paragraph.alignment = align

        line(issuing_unit, size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, red=True)
        line(content.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        line(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        line(content.addressee + "：")
        for text in content.paragraphs:
            line("　　" + text)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in content.facts:
            row = table.add_row().cells
            row[0].text, row[1].text = label, value
        line("法律依据：" + content.legal_basis)
        for text in _signature_block(issuing_unit, issued_at):
            line(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        line(_footer(number), size=8)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
