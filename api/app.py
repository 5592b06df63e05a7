"""The FastAPI application factory: services are built here, never at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse

from api import contract, docs_ui, problems
from api.body_limit import BodyLimit
from api.deps import bounded_parameters
from api.identity import credentials_checked
from api.routes import accident_statistics as accident_routes  # 事故统计, the monthly accident bulletin
from api.routes import accountability as accountability_routes  # accountability trail (谁检查、谁签名、谁负责)
from api.routes import audit as audit_routes  # Merkle log: checkpoints, proofs
from api.routes import auth as auth_routes  # log-in (OAuth2 password flow), security events
from api.routes import cases, enterprises, hazards, health, inspections, reference, registers, reports
from api.routes import documents as document_routes  # official documents (文书): issue, files, delivery
from api.routes import exports as export_routes  # annex files (XLSX, CSV)
from api.routes import imports as import_routes  # existing Excel ledgers (隐患台账)
from api.routes import keys as key_routes  # personal signatures: key registry, signing payloads
from api.routes import submissions as submission_routes  # report submissions (报表报送)
from api.routes import warnings as warning_routes  # 分级警示, 一票否优/否决
from app.settings import Settings
from app.wiring import Services, build
from app.workers import InProcessWorkers
from domain.business_time import Clock
from web import pages as web_pages  # the district's web pages under /ui (web/)

DESCRIPTION = """
事故隐患台账 — the lifecycle of major accident hazards (重大事故隐患) and their supervised rectification.

Every change is a command that appends events or fails with `application/problem+json` carrying a
stable `code` and a message in Chinese (`message_zh`) and English (`message_en`).

**Identity**: log in at `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`; or a token of
the district's OpenID Connect provider; machine clients send `X-API-Key`. In development (or behind an
authenticating proxy) `X-User-Id`, `X-User-Name`, `X-User-Role`, `X-Org-Id`, `X-Org-Kind` (and optionally
`X-Org-Name`) still state who acts. **Concurrency**: `If-Match: "<version>"`
refuses a stale write with 409 `version_conflict`. **Retries**: `Idempotency-Key` makes a retried
command return the first result and append nothing. **Read your writes**: a command answers the log
position it reached (`position`, header `X-Log-Position`); a read given `min_position` (or the header
`X-Min-Position`) waits up to a few seconds until its read model has it, and always answers the position
it read at (`X-Read-Position`). Reads never write.
"""


def create_app(settings: Settings | None = None, *, clock: Clock | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    services = services or build(settings, clock=clock)
    services.auth.check_ready()

    workers = InProcessWorkers(services) if settings.in_process_workers else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if workers is not None:
            workers.start()
        yield
        if workers is not None:
            workers.close()
        services.close()

    app = FastAPI(
        title="Hazard ledger 事故隐患台账",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc from the package, no CDN (api/docs_ui.py)
        redoc_url=None,
        dependencies=[
            Depends(bounded_parameters),  # every path and query parameter within the domain's bounds
            Depends(credentials_checked),  # a credential sent is a good one, on every route
        ],
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.state.services = services
    app.state.workers = workers  # health reports them
    problems.install(app)
    # accident_routes before the annex files: /reports/accident-bulletin.xlsx is no /reports/{annex}.xlsx
    for module in (health, reference, enterprises, inspections, hazards, reports, accident_routes):
        app.include_router(module.router, prefix="/api/v1")
    for router in (cases.router, cases.batches, registers.accidents, registers.risk_points, registers.problems, registers.units):
        app.include_router(router, prefix="/api/v1")
    for router in (warning_routes.router, warning_routes.units, warning_routes.reminders):
        app.include_router(router, prefix="/api/v1")
    for router in (export_routes.router, submission_routes.router):  # annex files; report submissions
        app.include_router(router, prefix="/api/v1")
    app.include_router(accountability_routes.router, prefix="/api/v1")  # accountability trail
    app.include_router(import_routes.router, prefix="/api/v1")  # existing Excel ledgers (隐患台账)
    for router in (document_routes.issue, document_routes.router):  # official documents (文书)
        app.include_router(router, prefix="/api/v1")
    app.include_router(audit_routes.router, prefix="/api/v1")  # Merkle log: checkpoints, proofs
    app.include_router(key_routes.router, prefix="/api/v1")  # personal signatures: key registry, signing payloads
    app.include_router(auth_routes.router, prefix="/api/v1")  # log-in, refresh, log-out, security events
    app.include_router(health.metrics_router)

    contract.install(app)  # every status and the problem+json body in OpenAPI
    docs_ui.install(app)  # /docs, /redoc and their assets, all from the package (works offline)
    web_pages.install(app)  # /ui: server-rendered pages and their assets (web/)

    @app.get("/", include_in_schema=False)
    def root(request: Request) -> RedirectResponse:
        """A browser to the pages, any other client to the API's documentation."""
        return RedirectResponse("/ui/" if "text/html" in request.headers.get("accept", "") else "/docs")

    return app


def app_from_env() -> FastAPI:
    """Entry point for `uvicorn --factory api.app:app_from_env` (docker-compose, several workers)."""
    return create_app(Settings.from_env())
