"""Every page, under /ui: ``install(app)`` adds the routers and the static files (web/static)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from web.pages import accidents, acts, annexes, audit, auth, cases, documents, hazards, home, imports, overview
from web.static_files import STATIC_PATH, VersionedStatic

router = APIRouter(prefix="/ui", include_in_schema=False)
for module in (auth, home, hazards, cases, documents, acts, imports, overview, annexes, accidents, audit):
    router.include_router(module.router)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(STATIC_PATH, VersionedStatic(), name="web-static")
