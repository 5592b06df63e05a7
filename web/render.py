"""Rendering a page: Jinja2 templates (web/templates) with the layout's context filled in once, here."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.glossary import (
    FIVE_ELEMENTS_ZH,
    Grade,
    HazardSource,
    HazardState,
    LicenceAction,
    OrgKind,
    PenaltyTarget,
    Role,
    Stoppage,
    SupervisionLevel,
    WarningState,
)
from web.forms import acts_for, done_label
from web.nav import areas_for
from web.session import CSRF_FIELD, apply_cookies, csrf_token
from web.static_files import static_url

HERE = Path(__file__).resolve().parent
PRODUCT = "事故隐患台账"

templates = Jinja2Templates(directory=HERE / "templates")
# The vocabulary, for labels in templates: {{ HazardState("closed").zh }}, {{ Role.INSPECTOR.zh }} (domain/glossary.py).
templates.env.globals.update(
    PRODUCT=PRODUCT,
    static=static_url,  # {{ static("app.css") }}: a file's versioned address (web/static_files.py)
    CSRF_FIELD=CSRF_FIELD,
    HazardState=HazardState,
    Grade=Grade,
    HazardSource=HazardSource,
    Role=Role,
    OrgKind=OrgKind,
    WarningState=WarningState,
    acts_for=acts_for,  # the acts a person may do on a record (web/forms.py): templates/acts/_offered.html
    done_label=done_label,
    Stoppage=Stoppage,
    SupervisionLevel=SupervisionLevel,
    PenaltyTarget=PenaltyTarget,
    LicenceAction=LicenceAction,
    FIVE_ELEMENTS_ZH=FIVE_ELEMENTS_ZH,
)



def beijing(value: str | datetime | None, precision: str = "minute") -> str:
    """A moment as Beijing time, ``2023-12-20 12:21`` (``precision="day"``: the date only)."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(CHINA_TZ)
    return local.strftime("%Y-%m-%d" if precision == "day" else "%Y-%m-%d %H:%M")


templates.env.filters["beijing"] = beijing


def is_htmx(request: Request) -> bool:
    """A request of htmx (a partial swap), not a whole page load."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    actor: Actor | None = None,
    area: str | None = None,
    title: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The template with the layout's context: the person, their navigation, the CSRF token, the page title."""
    full = {
        "actor": actor,
        "areas": areas_for(actor) if actor else [],
        "current_area": area,
        "title": title,
        "csrf_token": csrf_token(request),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    apply_cookies(response, request)
    return response  # type: ignore[no-any-return]
