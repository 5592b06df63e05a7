"""`hazard-ledger users …` and `hazard-ledger api-keys …` (typer's CliRunner), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import create_engine
from typer.testing import CliRunner

from adapters.accounts import AccountStore
from app.settings import Settings
from cli.main import app as cli

runner = CliRunner()
PASSWORD = "a long enough password"


def _run(db_url: str, *args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(cli, [*args, "--db", db_url], input=input)
    assert result.exit_code == code, result.output
    return result.output


def _store(db_url: str) -> AccountStore:
    return AccountStore(create_engine(Settings(db_url=db_url).sqlalchemy_url()))


def test_users_verbs(db_url: str) -> None:
    add = ("users", "add", "yjj-zhang", "--name", "张伟", "--role", "inspector", "--org-id", "yjj", "--org-kind", "department")
    assert "added yjj-zhang" in _run(db_url, *add, "--org-name", "区应急管理局", "--password-stdin", input=PASSWORD + "\n")
    assert "已存在" in _run(db_url, *add, "--password-stdin", input=PASSWORD + "\n", code=1)
    # a hidden prompt, confirmed
    out = _run(db_url, "users", "add", "admin", "--name", "管理员", "--role", "admin", "--org-id", "ajb", "--org-kind",
               "committee_office", input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert "added admin" in out and PASSWORD not in out
    # the binding of role and organisation kind
    wrong = ("users", "add", "x", "--name", "某", "--role", "street_officer", "--org-id", "yjj", "--org-kind", "department")
    assert "street_officer" in _run(db_url, *wrong, "--password-stdin", input=PASSWORD + "\n", code=1)
    assert "至少" in _run(db_url, *add[:2], "short", *add[3:], "--password-stdin", input="short\n", code=1)

    listed = _run(db_url, "users", "list")
    assert "yjj-zhang" in listed and "admin" in listed and "active" in listed
    _run(db_url, "users", "disable", "yjj-zhang", "--by", "admin")
    assert _store(db_url).require_user("yjj-zhang").disabled
    assert "disabled" in _run(db_url, "users", "list")
    _run(db_url, "users", "enable", "yjj-zhang", "--by", "admin")
    assert not _store(db_url).require_user("yjj-zhang").disabled
    _run(db_url, "users", "reset-password", "yjj-zhang", "--password-stdin", input="another long password\n")
    assert _store(db_url).password_matches("yjj-zhang", "another long password")
    assert not _store(db_url).password_matches("yjj-zhang", PASSWORD)
    _run(db_url, "users", "grant", "yjj-zhang", "--role", "street_officer", "--org-id", "wulong", "--org-kind", "street",
         "--org-name", "吴龙街道")  # fmt: skip
    account = _store(db_url).require_user("yjj-zhang")
    assert (account.role, account.organisation_id, account.organisation_name) == ("street_officer", "wulong", "吴龙街道")
    assert "expert_body" in _run(
        db_url, "users", "grant", "yjj-zhang", "--role", "expert", "--org-id", "x", "--org-kind", "street", code=1
    )
    assert "不存在" in _run(db_url, "users", "disable", "nobody", code=1)
    kinds = [e["kind"] for e in _store(db_url).security_events(100, 0)[1]]
    for kind in ("user_added", "user_disabled", "user_enabled", "password_reset", "user_granted"):
        assert kind in kinds


def test_api_keys_verbs(db_url: str) -> None:
    out = _run(
        db_url, "api-keys", "add", "street app sync", "--role", "street_officer", "--org-id", "wulong", "--org-kind", "street"
    )
    key_id = re.search(r"key id (\w+)", out).group(1)  # type: ignore[union-attr]
    secret = re.search(r"(hlk_\S+)", out).group(1)  # type: ignore[union-attr]
    store = _store(db_url)
    assert store.api_key_by_secret(secret).key_id == key_id  # type: ignore[union-attr]
    listed = _run(db_url, "api-keys", "list")
    assert key_id in listed and "active" in listed and secret not in listed
    _run(db_url, "api-keys", "revoke", key_id)
    assert store.api_key_by_secret(secret).revoked_at is not None  # type: ignore[union-attr]
    assert "revoked" in _run(db_url, "api-keys", "list")
    assert "不存在" in _run(db_url, "api-keys", "revoke", "nope", code=1)
    assert "department" in _run(
        db_url, "api-keys", "add", "x", "--role", "inspector", "--org-id", "w", "--org-kind", "street", code=1
    )
