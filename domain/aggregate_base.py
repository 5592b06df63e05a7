"""What every aggregate of the ledger shares: events carry the actor and the business time, have
stable registered topics, and business time never runs backwards within one record."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import register_topic

from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import Role

TOPIC_PREFIX = "hazard-ledger"

A = TypeVar("A", bound=type[Aggregate])


def stable_topics(cls: A) -> A:
    """Gives the aggregate and each of its event classes a topic that does not depend on the Python
    module path (``hazard-ledger.Hazard.HazardReported``), so moving code never orphans stored events."""
    cls.TOPIC = f"{TOPIC_PREFIX}.{cls.__name__}"  # type: ignore[attr-defined]
    register_topic(cls.TOPIC, cls)  # type: ignore[attr-defined]
    for name, obj in list(vars(cls).items()):
        if isinstance(obj, type) and issubclass(obj, CanMutateAggregate) and name != "Event":
            obj.TOPIC = f"{TOPIC_PREFIX}.{cls.__name__}.{name}"  # type: ignore[attr-defined]
            register_topic(obj.TOPIC, obj)  # type: ignore[attr-defined]
    return cls


def event_classes(cls: type[Aggregate]) -> dict[str, type[CanMutateAggregate[Any]]]:
    """The aggregate's stored event classes by name (the "Created" placeholder excluded)."""
    return {
        name: obj
        for name, obj in vars(cls).items()
        if isinstance(obj, type) and issubclass(obj, CanMutateAggregate) and name not in ("Event", "Created")
    }


class LedgerAggregate(Aggregate):
    class Event(Aggregate.Event):
        actor: Actor
        occurred_at: datetime

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            # What the system derived (the deadline watcher of earlier versions wrote such facts) never
            # moves the record's business order: no person's act dated before it is refused for it.
            if self.actor.role is not Role.SYSTEM or not hasattr(aggregate, "last_occurred_at"):
                aggregate.last_occurred_at = self.occurred_at
            return aggregate

    not_found_code = "record_not_found"
    # Set by every event's mutate; no class annotation (it would become a constructor field).

    def check_business_order(self, occurred_at: datetime) -> None:
        """An event cannot have happened before the record's previous event."""
        if occurred_at < self.last_occurred_at:  # type: ignore[attr-defined]
            raise DomainError(
                "occurred_out_of_order",
                occurred_at=occurred_at.isoformat(),
                previous=self.last_occurred_at.isoformat(),  # type: ignore[attr-defined]
            )
