"""The event insert takes the store's table lock only once its payload is on the server (migration 0003):
a command whose large event crosses a slow link does not hold up the other writers meanwhile."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import pytest

from app.settings import Settings
from app.wiring import build
from domain.bounds import COMMAND_TEXT, LONG_TEXT
from domain.commands.enterprises import RegisterEnterprise
from domain.commands.inspections import ConductInspection
from domain.glossary import InspectionKind, InspectionMethod
from domain.values import Person

from .conftest import credit_code
from .faults import TcpProxy
from .test_audit_tamper import OFFICE

pytestmark = pytest.mark.postgres
UPLOAD_RATE = 300_000  # bytes a second: the largest event (~300 kB) takes about a second to cross


def test_a_large_event_crossing_a_slow_link_does_not_hold_the_other_writers(postgres_url: str) -> None:
    fast = build(Settings(db_url=postgres_url))
    proxy = TcpProxy(("127.0.0.1", urlsplit(postgres_url).port or 5432), upload_rate=UPLOAD_RATE)
    slow_url = urlsplit(postgres_url)._replace(netloc=f"postgres@127.0.0.1:{proxy.port}").geturl()
    slow = build(Settings(db_url=slow_url))
    try:
        enterprise = fast.ledger.execute(OFFICE, RegisterEnterprise(
            credit_code=credit_code(1), name="示例化工", sector="hazardous_chemicals", jurisdiction="wulong",
            principal_name="李建国")).id  # fmt: skip
        # the most text a command may carry, all of it three-byte characters: about 300 kB on the wire
        scope = ["检" * LONG_TEXT] * (COMMAND_TEXT // LONG_TEXT - 1) + ["检" * (LONG_TEXT - 100)]
        large = ConductInspection(enterprise_id=enterprise, kind=InspectionKind.DEPARTMENT, method=InspectionMethod.UNANNOUNCED,
                                  inspectors=[Person("yjj-zhang", "张伟")], scope=scope)  # fmt: skip
        done: list[float] = []
        sent_before = proxy.uploaded
        started = time.monotonic()
        writer = threading.Thread(target=lambda: (slow.ledger.execute(OFFICE, large), done.append(time.monotonic())))
        writer.start()
        while proxy.uploaded - sent_before < 60_000 and writer.is_alive():  # well into the large payload
            time.sleep(0.01)
        assert writer.is_alive(), "the large event crossed before the other writer could start"

        begun = time.monotonic()
        fast.ledger.execute(OFFICE, RegisterEnterprise(
            credit_code=credit_code(2), name="示例机械", sector="industry_trade", jurisdiction="wulong",
            principal_name="王强"))  # fmt: skip
        small = time.monotonic() - begun
        writer.join(30)
        assert done, "the large command did not complete"
        crossing = done[0] - started
        assert crossing > 0.6, f"the link was not slow enough to tell ({crossing:.2f} s)"
        # the small command did not wait for the large payload to finish crossing
        assert small < 0.3 * crossing, f"small command {small:.2f} s while the large one took {crossing:.2f} s"
    finally:
        slow.close()
        proxy.close()
        fast.close()
