"""The planner's state and small helpers: one ``random.Random(seed)``, the steps planned so far, the
cast; the story modules (hazards, campaign, enforcement) extend it."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from app.pipeline import CommandContext, CommandPipeline, Outcome
from demo.records import (
    _Accident,
    _at,
    _Case,
    _Enterprise,
    _Hazard,
    _Inspection,
    _Record,
    _Step,
)
from demo.tables import (
    GIVEN,
    SURNAMES,
)
from domain.actor import Actor
from domain.business_time import business_date
from domain.commands.base import Command
from domain.credit_code import ALPHABET, check_character
from domain.glossary import (
    OrgKind,
    Role,
)
from domain.ledger import Receipt


class Planner:
    def __init__(self, pipeline: CommandPipeline, seed: int) -> None:
        self.pipeline = pipeline
        self.ledger = pipeline.ledger  # reads; every write goes through the pipeline (act)
        self.ref = self.ledger.reference
        self.rng = random.Random(seed)
        self.seed = seed
        campaign = self.ref.campaign
        self.start: date = campaign.start
        self.end: date = campaign.end
        self.horizon = _at(self.end, 17, 0)  # lifecycles aim to finish by the campaign's last afternoon
        self.limit = _at(self.end, 23, 59)  # and never later than its last minute
        self.first_day = self.start + timedelta(days=7)  # after registration and mobilisation
        self.steps: list[_Step] = []
        self.enterprises: list[_Enterprise] = []
        self.inspections: list[_Inspection] = []
        self.hazards: list[_Hazard] = []
        self.names: set[str] = set()
        self.people: set[str] = set()
        self.inspectors: dict[str, list[Actor]] = {}
        self.leaders: dict[str, str] = {}
        # the rest of the campaign
        self.street_staff: dict[str, Actor] = {}
        self.in_story: set[int] = set()
        self.series_start: dict[str, int] = {}
        self.series_now: dict[str, int] = {}
        self.cases: list[_Case] = []
        self.story_cases: dict[str, _Case] = {}  # the scripted stories' cases by name (demo/data/stories.toml)
        self.accidents: list[_Accident] = []
        self.batches: list[_Record] = []
        self.risk_points: list[_Record] = []
        self.problems: list[_Record] = []
        self.warnings: list[_Record] = []
        self.accountability: list[_Record] = []  # 责任倒查、追责问责
        self.activities = 0
        self.spot_checks = 0

    # ----- small helpers --------------------------------------------------------------------

    def act(self, actor: Actor, command: Command, expected_version: int | None = None) -> Outcome:
        """Every write of the demo: the one command pipeline, as HTTP and the CLI use it."""
        return self.pipeline.execute(command, CommandContext(actor, expected_version=expected_version))

    def create(self, record: Any, actor: Actor, when: datetime, label: str, command: Command | Callable[[], Command]) -> None:
        """A step that creates a record; the ledger's id goes to the plan's record when it runs. A
        command that needs other records' ids is given as a function, built when the step runs."""

        def run() -> Receipt:
            receipt = self.act(actor, command if isinstance(command, Command) else command())
            record.id = receipt.id
            return receipt

        self.add(when, label, run)

    def add(self, when: datetime, label: str, run: Callable[[], Receipt]) -> None:
        if when > self.limit or business_date(when) < self.start:
            raise RuntimeError(f"demo plan outside the campaign: {label} at {when.isoformat()}")
        self.steps.append(_Step(when, len(self.steps), label, run))

    def person_name(self) -> str:
        while True:
            given = self.rng.choice(GIVEN)
            if self.rng.random() < 0.7:
                given += self.rng.choice(GIVEN)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.names and len(set(name)) == len(name):
                self.names.add(name)
                return name

    def actor(self, user_id: str, role: Role, org_id: str, kind: OrgKind, org_name: str) -> Actor:
        self.people.add(user_id)
        return Actor(user_id, self.person_name(), role, org_id, kind, org_name)

    def credit_code(self, used: set[str]) -> str:
        while True:
            body = "MA" + "".join(self.rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            # GB 11714 check character of the organisation code (characters 9 to 17).
            values = [int(c, 36) for c in body]
            c9 = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
            org = body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
            first17 = "91" + self.ref.district_code + org
            code = first17 + check_character(first17)
            if code not in used:
                used.add(code)
                return code

    def day_in(self, year: int, month: int, lo: int = 1, hi: int = 31) -> date:
        first = max(date(year, month, 1), self.first_day)
        last_of_month = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        last = min(last_of_month, self.end - timedelta(days=2))
        first = max(first, date(year, month, min(lo, last_of_month.day)))
        last = min(last, date(year, month, min(hi, last_of_month.day)))
        if last < first:
            last = first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def work_time(self, day: date, lo_hour: int = 9, hi_hour: int = 15) -> datetime:
        return _at(day, self.rng.randint(lo_hour, hi_hour), self.rng.randint(0, 59))

    def months(self) -> list[tuple[int, int]]:
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
