"""Fixtures local to the domain unit tests: an in-memory ledger on a fixed clock (1 June 2023,
10:00 Beijing time) with one registered enterprise (化工和危化品, 乌龙街道) and its people."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.actor import Actor
from domain.business_time import FixedClock
from domain.glossary import Grade
from domain.ledger import Ledger

from .support import START, World, new_world


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def world(clock: FixedClock) -> World:
    return new_world(clock)


@pytest.fixture
def app(world: World) -> Ledger:
    return world.app


@pytest.fixture
def principal(world: World) -> Actor:
    return world.principal


@pytest.fixture
def staff(world: World) -> Actor:
    return world.staff


@pytest.fixture
def major(world: World) -> UUID:
    """A major hazard, just reported by the enterprise."""
    return world.report(Grade.MAJOR)


@pytest.fixture
def general(world: World) -> UUID:
    """A general hazard, just reported by the enterprise."""
    return world.report(Grade.GENERAL)
