"""Commands of report submissions (报表报送): what a person asks, as typed values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.commands.base import Command
from domain.signatures import SignatureArg


@dataclass(frozen=True, kw_only=True)
class SubmitReport(Command):
    """``ReportApplication.submit_report``."""

    annex: str
    unit: str | None
    as_of: date
    figures: Mapping[str, Any]
    known_at: datetime
    note: str = ""
    signature: SignatureArg = None
    reviewer: str = ""  # 审核人
    contact_phone: str = ""  # the submitter's 联系电话
