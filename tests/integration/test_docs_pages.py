"""/docs and /redoc work offline (issue 12): every asset comes from the package, nothing from a CDN, and
the OpenAPI document declares the security schemes behind Swagger UI's Authorize button."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import docs_ui
from api.app import create_app
from app.settings import Settings
from app.wiring import build

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect")
OUTSIDE = ("http://", "https://", "//cdn", "cdn", "googleapis", "jsdelivr", "unpkg", "tiangolo")
ASSET_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    db = tmp_path_factory.mktemp("docs") / "hazard.db"
    settings = Settings(db_url=f"sqlite:///{db}", in_process_workers=False)
    services = build(settings)
    yield create_app(settings, services=services)
    services.close()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)


@pytest.mark.parametrize("page", PAGES)
def test_a_docs_page_names_nothing_outside(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text.lower()
    assert [s for s in OUTSIDE if s in html] == []
    for url in _references(r.text):
        assert url.startswith("/") and not url.startswith("//"), url
    policy = r.headers["content-security-policy"]  # and the browser may fetch nothing from elsewhere
    assert "default-src 'self'" in policy and "http" not in policy and "*" not in policy


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_asset_of_a_docs_page_is_served_from_the_package(client: TestClient, page: str) -> None:
    urls = _references(client.get(page).text)
    kinds = {Path(u).suffix for u in urls}
    assert ".js" in kinds and (".css" in kinds or page == "/redoc") and ".png" in kinds  # a favicon too
    for url in urls:
        assert url.startswith(docs_ui.STATIC + "/"), url
        r = client.get(url)
        assert r.status_code == 200, url
        assert ASSET_TYPES[Path(url).suffix] in r.headers["content-type"], (url, r.headers["content-type"])
        assert len(r.content) > 100, url
        assert (docs_ui.ASSETS / url.removeprefix(docs_ui.STATIC + "/")).read_bytes() == r.content


def test_the_swagger_page_loads_the_document_and_has_no_online_validator(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "url: '/openapi.json'" in html
    assert '"validatorUrl": null' in html
    assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'" in html
    assert 'spec-url="/openapi.json"' in client.get("/redoc").text
    assert client.get("/", follow_redirects=False).headers["location"] == "/docs"


def test_behind_a_prefix_the_pages_name_the_prefixed_assets(app: FastAPI) -> None:
    with TestClient(app, root_path="/ledger") as c:
        for page in ("/docs", "/redoc"):
            urls = _references(c.get(page).text)
            assert urls and all(u.startswith("/ledger" + docs_ui.STATIC + "/") for u in urls), urls
        assert "url: '/ledger/openapi.json'" in c.get("/docs").text


def test_the_document_declares_both_ways_in_for_the_authorize_button(app: FastAPI) -> None:
    document = app.openapi()
    schemes = document["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"] == {
        "type": "oauth2",
        "flows": {"password": {"scopes": {}, "tokenUrl": "/api/v1/auth/token"}},
    }
    assert schemes["APIKeyHeader"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    both = [{"OAuth2PasswordBearer": []}, {"APIKeyHeader": []}]
    assert document["paths"]["/api/v1/hazards"]["post"]["security"] == both  # a command needs an identity
    assert document["paths"]["/api/v1/hazards"]["get"]["security"] == both  # so does a record read
    names = {p["name"] for p in document["paths"]["/api/v1/hazards"]["post"]["parameters"] if p["in"] == "header"}
    assert {"x-user-id", "x-org-kind"} <= {n.lower() for n in names}  # the development headers stay usable
    used = {name for ops in document["paths"].values() for op in ops.values() for s in op.get("security", []) for name in s}
    assert used == set(schemes)


def test_the_vendored_assets_are_packaged_with_their_licences() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["api"]
    files = [p for p in docs_ui.ASSETS.rglob("*") if p.is_file()]
    for path in files:
        relative = path.relative_to(ROOT / "api")
        assert any(relative.match(g) for g in globs), relative
    for bundle in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css", "redoc/redoc.standalone.js"):
        assert (docs_ui.ASSETS / bundle).is_file()
        assert (docs_ui.ASSETS / bundle).parent.joinpath("LICENSE").is_file()
    notes = (docs_ui.ASSETS / "README.md").read_text(encoding="utf-8")
    assert docs_ui.SWAGGER_UI_VERSION in notes and docs_ui.REDOC_VERSION in notes
    assert f'PACKAGE_VERSION:"{docs_ui.SWAGGER_UI_VERSION}"' in (docs_ui.ASSETS / "swagger-ui/swagger-ui-bundle.js").read_text(
        encoding="utf-8"
    )
    assert f'"{docs_ui.REDOC_VERSION}"' in (docs_ui.ASSETS / "redoc/redoc.standalone.js").read_text(encoding="utf-8")
