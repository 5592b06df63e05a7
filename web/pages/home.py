"""/ui/: 我的工作, the person's start page (the areas they may use)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from web.nav import areas_for
from web.render import render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)


@router.get("/")
def home(page: PageContext) -> Response:
    return render(page.request, "home.html", {"areas": areas_for(page.actor)}, actor=page.actor, area="work", title="我的工作")
