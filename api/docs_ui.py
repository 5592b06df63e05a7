"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served wholly from the package.

The ledger runs on intranets without internet access, so FastAPI's default pages (scripts and styles from
cdn.jsdelivr.net, a favicon from fastapi.tiangolo.com, fonts from Google) are off; the built assets are
vendored under api/static/docs/ (versions and licences in its README.md) and served at /static/docs/.
A Content-Security-Policy on both pages lets the browser load nothing from any other origin.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).parent / "static" / "docs"
STATIC = "/static/docs"
SWAGGER_UI_VERSION = "5.35.0"  # npm swagger-ui-dist
REDOC_VERSION = "2.5.4"  # npm redoc

# Same origin only: inline scripts and styles (the pages' own and the UIs'), compiled functions (ReDoc's
# JSON-schema validator), data: images (Swagger UI's icons), a blob: worker (ReDoc's search). Anything
# outside is refused by the browser before it is asked for.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-src 'self'; form-action 'self'; base-uri 'self'"
)


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page


def install(app: FastAPI, *, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Mount the assets and add /docs, its OAuth2 redirect page and /redoc (none in the OpenAPI document).
    The app must be made with ``docs_url=None, redoc_url=None``."""
    app.mount(STATIC, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url

    def root(request: Request) -> str:  # behind a proxy that serves the app under a prefix, as FastAPI's own pages
        return str(request.scope.get("root_path", "")).rstrip("/")

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        at = root(request)
        return _offline(
            get_swagger_ui_html(
                openapi_url=at + openapi_url,
                title=f"{app.title} — Swagger UI",
                swagger_js_url=f"{at}{STATIC}/swagger-ui/swagger-ui-bundle.js",
                swagger_css_url=f"{at}{STATIC}/swagger-ui/swagger-ui.css",
                swagger_favicon_url=f"{at}{STATIC}/swagger-ui/favicon-32x32.png",
                oauth2_redirect_url=at + oauth2_redirect_url if oauth2_redirect_url else None,
                init_oauth=app.swagger_ui_init_oauth,
                # No online validator (it would send the document to validator.swagger.io).
                swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
            )
        )

    if oauth2_redirect_url:

        @app.get(oauth2_redirect_url, include_in_schema=False)
        def swagger_ui_redirect() -> HTMLResponse:
            return _offline(get_swagger_ui_oauth2_redirect_html())

    @app.get(redoc_url, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        at = root(request)
        return _offline(
            get_redoc_html(
                openapi_url=at + openapi_url,
                title=f"{app.title} — ReDoc",
                redoc_js_url=f"{at}{STATIC}/redoc/redoc.standalone.js",
                redoc_favicon_url=f"{at}{STATIC}/swagger-ui/favicon-32x32.png",
                with_google_fonts=False,
            )
        )
