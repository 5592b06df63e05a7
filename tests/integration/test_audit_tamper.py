"""The Merkle log on PostgreSQL: a small real ledger, a signed checkpoint, then a database administrator
tampers with the event table — each tampering is found by the offline verifier, at the right position
and for the right reason. Also: the HTTP proofs verify, an export verifies offline."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from app.settings import Settings
from app.wiring import Services, build
from audit import merkle
from audit.note import Checkpoint
from audit.verify import DatabaseSource, ExportSource, Report, engine_for, export, verify
from cli.main import app as cli_app
from domain.actor import Actor
from domain.glossary import Grade, HazardSource, InspectionKind, InspectionMethod, OrgKind, Role
from domain.values import Person
from tests.integration.conftest import credit_code, reads_as_office

pytestmark = pytest.mark.postgres

OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
INSPECTOR = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
EVENTS = "hazardledger_events"


@dataclass
class Ledger:
    services: Services
    url: str
    tmp: Path
    enterprise: uuid.UUID

    def record(self, n: int) -> None:
        for i in range(n):
            self.services.ledger.hazards.report_hazard(
                OFFICE,
                enterprise_id=self.enterprise,
                grade=Grade.GENERAL,
                source=HazardSource.TIP_OFF,
                description=f"群众举报隐患 {i}",
            )

    def checkpoint(self) -> Checkpoint:
        made = self.services.audit.checkpoint()
        assert made is not None
        return made

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cur = conn.execute(statement, params)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []

    def position_of(self, nid: int) -> int:
        version = self.sql("SELECT version FROM projection_active WHERE projection = 'merkle_log'")[0][0]
        return int(self.sql(f"SELECT position FROM audit_leaves_v{version} WHERE notification_id = %s", nid)[0][0])

    def ids(self) -> list[int]:
        return [r[0] for r in self.sql(f"SELECT notification_id FROM {EVENTS} ORDER BY notification_id")]

    def verify(self, *checkpoints: Checkpoint, recorded: bool = True, **kw: Any) -> Report:
        engine = engine_for(self.url)
        try:
            return verify(
                DatabaseSource(engine),
                [(f"kept #{i}", c.note) for i, c in enumerate(checkpoints)],
                self.services.audit.public_key(),
                include_recorded=recorded,
                **kw,
            )
        finally:
            engine.dispose()


@pytest.fixture
def ledger(postgres_url: str, tmp_path: Path) -> Iterator[Ledger]:
    services = build(
        Settings(db_url=postgres_url, log_key_file=tmp_path / "log-key.pem", checkpoint_dir=tmp_path / "checkpoints")
    )
    enterprise = services.ledger.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code(7),
        name="昆明呈贡示例化工有限公司",
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        principal_name="李建国",
    )
    built = Ledger(services, postgres_url, tmp_path, enterprise.id)
    built.record(15)
    services.catch_up()
    yield built
    services.close()


def bad(report: Report) -> tuple[str, int | None]:
    first = report.first_bad
    assert first is not None, report.to_dict()
    assert first.en and first.zh
    return first.code, first.position


# ----- the untouched ledger ----------------------------------------------------------------------------


def test_untouched_ledger_verifies_against_its_checkpoint_and_proofs_verify(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    assert cp.size == len(ledger.ids()) == 16
    assert (ledger.tmp / "checkpoints" / "latest.txt").read_text() == cp.note
    report = ledger.verify(cp)
    assert report.ok, report.to_dict()
    assert report.root == cp.root.hex() and report.events == 16
    ledger.record(5)
    ledger.services.catch_up()
    with TestClient(create_app(ledger.services.settings, services=ledger.services)) as client:
        client.event_hooks["request"].append(reads_as_office)  # the Merkle log: the 区安委办 and auditors
        listed = client.get("/api/v1/audit/checkpoints").json()
        assert listed["items"][0]["tree_size"] == 16 and listed["public_key"].startswith("hazard-ledger+")
        assert client.get("/api/v1/audit/checkpoints/latest").text == cp.note
        for position in (0, 7, 15):
            proof = client.get(f"/api/v1/audit/proofs/{position}", params={"tree_size": cp.size}).json()
            assert proof["root_hash"] == cp.root.hex()
            assert merkle.verify_inclusion(
                position, cp.size, bytes.fromhex(proof["leaf_hash"]), [bytes.fromhex(h) for h in proof["audit_path"]], cp.root
            )
        current = client.get("/api/v1/audit/proofs/20").json()
        assert current["tree_size"] == 21 and current["notification_id"] == ledger.ids()[20]
        c = client.get("/api/v1/audit/consistency", params={"first": cp.size, "second": 21}).json()
        assert merkle.verify_consistency(
            cp.size, 21, cp.root, bytes.fromhex(c["second_root"]), [bytes.fromhex(h) for h in c["proof"]]
        )
        assert client.get("/api/v1/audit/proofs/21").status_code == 400
        assert client.get("/api/v1/audit/consistency", params={"first": 5, "second": 99}).status_code == 400


# ----- tampering -----------------------------------------------------------------------------------------


def test_update_of_a_stored_state_is_found_at_its_position(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    nid = ledger.ids()[6]
    ledger.sql(f"UPDATE {EVENTS} SET state = replace(state::text, '6', '9')::bytea WHERE notification_id = %s", nid)
    report = ledger.verify(cp)
    assert not report.ok
    assert bad(report) == ("row_changed", ledger.position_of(nid))
    assert report.first_bad.notification_id == nid  # type: ignore[union-attr]
    assert any(f.code == "checkpoint_mismatch" for f in report.findings)


def test_delete_of_a_row_is_found(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    nid = ledger.ids()[4]
    position = ledger.position_of(nid)
    ledger.sql(f"DELETE FROM {EVENTS} WHERE notification_id = %s", nid)
    report = ledger.verify(cp)
    assert bad(report) == ("row_missing", position)
    assert report.first_bad.notification_id == nid  # type: ignore[union-attr]


def test_swapped_states_and_swapped_ids_are_found(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    ids = ledger.ids()
    a, b = ids[3], ids[9]
    ledger.sql(
        f"UPDATE {EVENTS} e SET state = o.state FROM {EVENTS} o "
        "WHERE (e.notification_id, o.notification_id) IN ((%s, %s), (%s, %s))",
        a,
        b,
        b,
        a,
    )
    report = ledger.verify(cp)
    assert bad(report) == ("row_changed", ledger.position_of(a))
    # put them back, then swap the ids (the order of the log) instead
    ledger.sql(
        f"UPDATE {EVENTS} e SET state = o.state FROM {EVENTS} o "
        "WHERE (e.notification_id, o.notification_id) IN ((%s, %s), (%s, %s))",
        a,
        b,
        b,
        a,
    )
    assert ledger.verify(cp).ok
    c, d = ids[5], ids[6]
    ledger.sql(f"UPDATE {EVENTS} SET notification_id = -1 WHERE notification_id = %s", c)
    ledger.sql(f"UPDATE {EVENTS} SET notification_id = %s WHERE notification_id = %s", c, d)
    ledger.sql(f"UPDATE {EVENTS} SET notification_id = %s WHERE notification_id = -1", d)
    report = ledger.verify(cp)
    assert bad(report) == ("row_changed", ledger.position_of(c))


def _forge(ledger: Ledger, nid: int, like: int) -> None:
    """A plausible event: a copy of another hazard report under a new record id."""
    topic, state = ledger.sql(f"SELECT topic, state FROM {EVENTS} WHERE notification_id = %s", like)[0]
    state = bytes(state).replace("群众举报".encode(), "伪造记录".encode())
    ledger.sql(
        f"INSERT INTO {EVENTS} (originator_id, originator_version, topic, state, notification_id) VALUES (%s, 1, %s, %s, %s)",
        uuid.uuid4(),
        topic,
        state,
        nid,
    )


def test_inserted_forged_event_with_a_high_id_is_found(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    _forge(ledger, 10_000, like=ledger.ids()[3])
    report = ledger.verify(cp)
    assert bad(report) == ("unlogged", cp.size)
    assert report.first_bad.notification_id == 10_000  # type: ignore[union-attr]
    assert ledger.verify(cp, allow_unlogged=True).ok  # indistinguishable from lag, if the auditor allows lag


def test_forged_event_reusing_a_deleted_id_is_found(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    ids = ledger.ids()
    nid = ids[8]
    ledger.sql(f"DELETE FROM {EVENTS} WHERE notification_id = %s", nid)
    _forge(ledger, nid, like=ids[2])
    report = ledger.verify(cp)
    assert bad(report) == ("row_changed", ledger.position_of(nid))


def test_forged_event_in_a_gap_of_the_ids_is_an_extra_row(ledger: Ledger) -> None:
    """A rolled-back insert leaves a gap in the ids; the log went past it. A row put there later is extra."""
    ledger.sql(f"SELECT nextval(pg_get_serial_sequence('{EVENTS}', 'notification_id'))")  # as a rollback would
    ledger.record(2)
    ledger.services.catch_up()
    cp = ledger.checkpoint()
    ids = ledger.ids()
    gap = next(a + 1 for a, b in zip(ids, ids[1:], strict=False) if b != a + 1)
    _forge(ledger, gap, like=ids[3])
    report = ledger.verify(cp)
    assert bad(report) == ("extra_row", ids.index(gap - 1) + 1)
    assert report.first_bad.notification_id == gap  # type: ignore[union-attr]


def test_rewritten_tail_with_a_fresh_tree_is_caught_only_by_the_older_checkpoint(ledger: Ledger) -> None:
    early = ledger.checkpoint()  # size 16
    ledger.record(10)
    older = ledger.checkpoint()  # size 26
    ids = ledger.ids()
    k = 20  # the rewrite starts here: after `early`, before `older`
    ledger.sql(
        f"UPDATE {EVENTS} SET state = convert_to(replace(convert_from(state, 'UTF8'), '群众', '匿名'), 'UTF8') WHERE notification_id >= %s",
        ids[k],
    )
    # the administrator recomputes every leaf and node consistently and removes the recorded checkpoints
    ledger.services.read_models.merkle_log.rebuild()
    ledger.sql("DELETE FROM audit_checkpoints")
    newer = ledger.checkpoint()  # the service signs whatever tree it now holds
    assert newer.size == older.size and newer.root != older.root
    assert ledger.verify(newer, recorded=False).ok  # nothing in the database betrays it
    assert ledger.verify(early, newer, recorded=False).ok  # nor a checkpoint from before the rewritten part
    report = ledger.verify(early, older, newer, recorded=False)
    code, position = bad(report)
    assert code == "checkpoint_mismatch"
    first = report.first_bad
    assert first is not None and first.position <= k < first.range_end  # type: ignore[operator]
    assert (first.position, first.range_end) == (early.size, older.size)


def test_a_checkpoint_with_a_bad_signature_is_rejected(ledger: Ledger) -> None:
    cp = ledger.checkpoint()
    forged = cp.note.replace(f"\n{cp.size}\n", f"\n{cp.size - 1}\n")
    report = ledger.verify(Checkpoint(cp.origin, cp.size - 1, cp.root, cp.time, forged), recorded=False)
    assert not report.ok
    assert report.first_bad.code == "checkpoint_signature"  # type: ignore[union-attr]


def test_signature_made_with_a_revoked_key_is_reported(ledger: Ledger) -> None:
    from domain.signatures import ServerHeldSigner, key_id_for, new_private_key, public_key_bytes

    ledger_app = ledger.services.ledger
    now = datetime.now(UTC).replace(microsecond=0)
    private = new_private_key()
    public = public_key_bytes(private)
    ledger_app.keys.enrol_key(
        INSPECTOR,  # a server-held key is made by its owner for themself
        user_id=INSPECTOR.user_id,
        name=INSPECTOR.name,
        public_key=base64.b64encode(public).decode(),
        server_held=True,
        occurred_at=now - timedelta(hours=2),
    )
    inspection = ledger_app.inspections.conduct_inspection(
        INSPECTOR,
        enterprise_id=ledger.enterprise,
        kind=InspectionKind.ROUTINE if hasattr(InspectionKind, "ROUTINE") else list(InspectionKind)[0],
        method=list(InspectionMethod)[0],
        inspectors=[Person(INSPECTOR.user_id, INSPECTOR.name)],
        scope=["储罐区"],
    )
    key_id = key_id_for(public)
    ledger_app.inspections.sign_inspection(INSPECTOR, inspection.id, signature=ServerHeldSigner(key_id, private, now))
    ledger.services.catch_up()
    signed_position = len(ledger.ids()) - 1
    assert ledger.verify().ok  # the signature is valid while the key is
    ledger_app.keys.revoke_key(OFFICE, key_id, reason="密钥泄露", revoked_at=now - timedelta(minutes=30))
    ledger.services.catch_up()
    report = ledger.verify(ledger.checkpoint())
    assert not report.ok
    assert bad(report) == ("signature_key_revoked", signed_position)
    assert report.signatures_checked == 1


# ----- export, offline ------------------------------------------------------------------------------------


def test_export_verifies_offline_and_tampering_shows_in_it(ledger: Ledger, tmp_path: Path) -> None:
    cp = ledger.checkpoint()
    out = tmp_path / "audit-export.jsonl"
    engine = engine_for(ledger.url)
    counts = export(engine, out, ledger.services.audit.public_key())
    assert counts == {"events": 16, "leaves": 16, "checkpoints": 1}
    report = verify(ExportSource(out), [("kept", cp.note)])  # the public key comes from the export
    assert report.ok, report.to_dict()
    # an edited export is caught like an edited database
    lines = out.read_text().splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith('{"t":"e"') and '"id":9,' in line)
    lines[i] = lines[i].replace('"v":1', '"v":2')
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(lines))
    assert bad(verify(ExportSource(edited), [("kept", cp.note)])) == ("row_changed", 8)
    # and a database tampered before the export
    ledger.sql(f"DELETE FROM {EVENTS} WHERE notification_id = %s", ledger.ids()[2])
    export(engine, out, ledger.services.audit.public_key())
    engine.dispose()
    assert bad(verify(ExportSource(out), [("kept", cp.note)])) == ("row_missing", 2)


def test_cli_checkpoint_export_verify(ledger: Ledger, tmp_path: Path) -> None:
    runner = CliRunner(
        env={
            "COLUMNS": "240",
            "HAZARD_LOG_KEY_FILE": str(ledger.tmp / "log-key.pem"),
            "HAZARD_CHECKPOINT_DIR": str(tmp_path / "cps"),
        }
    )
    key = runner.invoke(cli_app, ["audit", "public-key", "--db", ledger.url])
    assert key.exit_code == 0 and key.stdout.strip() == ledger.services.audit.public_key()
    cp_file = tmp_path / "kept.txt"
    made = runner.invoke(cli_app, ["audit", "checkpoint", "--db", ledger.url, "--out", str(cp_file)])
    assert made.exit_code == 0, made.stdout
    assert cp_file.read_text().splitlines()[1] == "16"
    ok = runner.invoke(cli_app, ["audit", "verify", "--db", ledger.url, "--checkpoint", str(cp_file)])
    assert ok.exit_code == 0, ok.stdout
    export_file = tmp_path / "x.jsonl"
    assert runner.invoke(cli_app, ["audit", "export", "--db", ledger.url, "--out", str(export_file)]).exit_code == 0
    ledger.sql(f"UPDATE {EVENTS} SET topic = topic || 'x' WHERE notification_id = %s", ledger.ids()[10])
    failed = runner.invoke(cli_app, ["audit", "verify", "--db", ledger.url, "--checkpoint", str(cp_file)])
    assert failed.exit_code == 1
    assert "position 10" in failed.stdout and "row_changed" in failed.stdout
    offline = runner.invoke(cli_app, ["audit", "verify", "--export", str(export_file), "--checkpoint", str(cp_file)])
    assert offline.exit_code == 0, offline.stdout
