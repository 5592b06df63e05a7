"""Reads of the accountability trail: a hazard's chain of people, a person's acts and signatures, and
the anomaly lists (the rules are ``domain/accountability_rules.py``, applied here at read time).

The lists are read as of a business date and as known at a recording time (``AsOf``): only the acts
dated by the end of that Beijing day and recorded by then count (the acts' rows carry both times), and
each hazard's state, misses, overdue and rectified time come from the one fold of its steps
(``row_status(row, end of day, known_at)``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, select

from domain import accountability_rules as rules
from domain.business_time import CHINA_TZ, Clock, SystemClock, business_date
from domain.errors import DomainError
from domain.glossary import EVENT_LABELS, Role
from domain.hazard_timeline import HazardStatus
from domain.reference_data import LedgerRules, ReferenceData
from domain.views import plain
from projections.accountability import HELD_ACCOUNTABLE, PENALTY_EVENTS, SIGNATURE_ACTS, TEAM_MEMBER
from projections.engine import Tables
from projections.hazard_steps import row_status
from projections.process_queries import AsOf, CaseConflict
from projections.rowstate import utc

EventLoader = Callable[[str, int], Any]
KINDS = tuple(rules.ANOMALY_LABELS)
# Acts the anomaly lists cite as evidence (the actor's row of each such event).
_EVIDENCE_TYPES = (
    "InspectionConducted", "FindingRecorded", "InspectionSigned", "HazardReported", "RectificationPlanFiled",
    "DeadlineExtended", "ExtensionApproved",
    "DeadlineMissed", "DeadlineMissRecorded", "VerificationPassed", "CaseOpened", "PenaltyDecided",
    "DualPenaltyImposed", "AccidentReported",
)  # fmt: skip
_ROLES = {r.value for r in Role}
_KEYS = ("key states", -1)  # the per-query cache's entry for the key registry


class AccountabilityQueries:
    def __init__(
        self,
        engine: Engine,
        reference: ReferenceData,
        rules_: LedgerRules,
        tables: Callable[[], Tables],
        load_event: EventLoader | None = None,
        clock: Clock | None = None,
        keys: Callable[[], Any] | None = None,
        penalty_conflicts: Callable[[AsOf], list[CaseConflict]] = lambda _at: [],
    ) -> None:
        self.engine = engine
        self.reference = reference
        self.rules = rules_
        self.tables = tables
        self.load_event = load_event
        self.clock = clock or SystemClock()
        self._load_keys = keys  # the key states by key id, for the signature checker (read once per query)
        self.penalty_conflicts = penalty_conflicts  # rules 1 and 2 on recorded decisions (ProcessQueries)

    # ----- signatures ---------------------------------------------------------------------

    def _keys(self, cache: dict[Any, Any]) -> Any:
        """The key states, read at most once per query (``cache`` lives as long as one query)."""
        if _KEYS not in cache:
            cache[_KEYS] = self._load_keys() if self._load_keys is not None else None
        return cache[_KEYS]

    def _signature(self, row: dict[str, Any], cache: dict[tuple[str, int], tuple[str, str | None]]) -> dict[str, Any] | None:
        if row["act"] in (TEAM_MEMBER[0], HELD_ACCOUNTABLE[0]):
            return None  # not the signer of this event
        status, reason = rules.UNSIGNED, None
        if row["signed"]:
            key = (row["record_id"], row["record_version"])
            if key not in cache:
                event = self.load_event(*key) if self.load_event else None
                cache[key] = (
                    rules.signature_verdict(event, self._keys(cache)) if event is not None else (rules.SIGNED_UNCHECKED, None)
                )
            status, reason = cache[key]
        signature = row["signature"] if isinstance(row["signature"], dict) else {}
        return {
            "present": bool(row["signed"]),
            "status": status,
            "status_zh": rules.SIGNATURE_LABELS.get(status, status),
            "reason": reason,
            "key_id": signature.get("key_id"),
            "meaning": signature.get("meaning") or (row.get("details") or {}).get("meaning"),
            "personal_signature_act": row["event_type"] in SIGNATURE_ACTS or bool(row["signed"]),
        }

    def _act(self, row: Any, cache: dict[tuple[str, int], tuple[str, str | None]]) -> dict[str, Any]:
        row = dict(row)
        role = row["role"]
        return {
            "position": row["position"],
            "act": row["act"],
            "act_zh": row["act_zh"],
            "event_type": row["event_type"],
            "event_label_zh": EVENT_LABELS.get(row["event_type"], row["event_type"]),
            "record": {"kind": row["record_kind"], "id": row["record_id"], "version": row["record_version"]},
            "version_seen": row["version_seen"],
            "person": {
                "user_id": row["user_id"],
                "name": row["name"],
                "role": role,
                "role_zh": Role(role).zh if role in _ROLES else role,
                "organisation_id": row["organisation_id"],
                "organisation_name": row["organisation_name"],
            },
            "occurred_at": plain(utc(row["occ"])),
            "recorded_at": plain(utc(row["rec"])),
            "signature": self._signature(row, cache),
            "details": row["details"],
        }

    # ----- a hazard's chain ---------------------------------------------------------------

    def hazard_chain(self, hazard_id: str) -> dict[str, Any]:
        """Everyone who acted on the hazard, in business-time order: who inspected (the team and each
        signature), reported, filed the plan, claimed completion, verified, listed/lifted, closed or
        voided, and who decided in the enforcement and accountability cases citing it."""
        t = self.tables()
        with self.engine.connect() as conn:
            hazard = conn.execute(select(t["hazards"]).where(t["hazards"].c.id == hazard_id)).mappings().first()
            if hazard is None:
                raise DomainError("hazard_not_found", id=hazard_id)
            citing = conn.execute(
                select(t["links"].c.source_id, t["links"].c.source_kind).where(t["links"].c.target_id == hazard_id)
            ).all()
            records = [hazard_id, *([hazard["inspection_id"]] if hazard["inspection_id"] else []), *{s for s, _ in citing}]
            acts = t["acts"]
            rows = conn.execute(
                select(acts).where(acts.c.record_id.in_(records)).order_by(acts.c.occ, acts.c.position, acts.c.seq)
            ).mappings()
            cache: dict[tuple[str, int], tuple[str, str | None]] = {}
            chain = [self._act(r, cache) for r in rows]
        persons: dict[str, dict[str, Any]] = {}
        for act in chain:
            p = act["person"]
            key = p["user_id"] or f"{p['name']}|{p['organisation_name']}"
            entry = persons.setdefault(key, {**p, "acts": []})
            entry["acts"].append(act["act"])
        return {
            "hazard": _hazard_view(hazard),
            "inspection_id": hazard["inspection_id"],
            "citing_cases": [{"id": s, "kind": k} for s, k in dict.fromkeys(citing)],
            "chain": chain,
            "persons": list(persons.values()),
        }

    # ----- a person's acts ----------------------------------------------------------------

    def person(self, user_id: str, organisations: frozenset[str] | None = None) -> dict[str, Any]:
        """Everything one person did or signed, and every accountability decision naming them; with
        ``organisations`` (domain.read_scope), only the acts done for those organisations."""
        acts = self.tables()["acts"]
        conditions = [acts.c.user_id == user_id]
        if organisations is not None:
            conditions.append(acts.c.organisation_id.in_(sorted(organisations)))
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(acts).where(*conditions).order_by(acts.c.occ, acts.c.position, acts.c.seq)
            ).mappings()
            cache: dict[tuple[str, int], tuple[str, str | None]] = {}
            done = [self._act(r, cache) for r in rows]
        if not done:
            raise DomainError("person_not_found", user_id=user_id)
        return {
            "user_id": user_id,
            "names": list(dict.fromkeys(a["person"]["name"] for a in done)),
            "organisations": list(
                dict.fromkeys(a["person"]["organisation_id"] or a["person"]["organisation_name"] for a in done)
            ),
            "counts": dict(Counter(a["act"] for a in done)),
            "acts": done,
            "signed": [a for a in done if a["signature"] and a["signature"]["personal_signature_act"]],
            "held_accountable": [a for a in done if a["act"] == HELD_ACCOUNTABLE[0]],
        }

    # ----- anomaly lists ------------------------------------------------------------------

    def anomalies(
        self, kind: str | None = None, unit: str | None = None, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """The lists as of business date ``as_of`` (default today: acts dated by the end of that Beijing
        day), as known at recording time ``known_at`` (default: everything recorded; without a zone:
        Beijing time)."""
        if kind is not None and kind not in KINDS:
            raise DomainError("unknown_anomaly_kind", kind=kind, known=", ".join(KINDS))
        if unit is not None:
            self.reference.unit(unit)
        if known_at is not None and known_at.tzinfo is None:
            known_at = known_at.replace(tzinfo=CHINA_TZ)  # a recording time given without its zone is Beijing time
        moment = AsOf(as_of or business_date(self.clock.now()), utc(known_at))
        kinds = [kind] if kind else list(KINDS)
        facts = _Facts.load(self, kinds, moment)
        lists: dict[str, Any] = {}
        for k in kinds:
            entries = [e for e in facts.lists[k]() if unit is None or unit in e.pop("units")]
            for e in entries:
                e.pop("units", None)
            lists[k] = {"label_zh": rules.ANOMALY_LABELS[k], "count": len(entries), "entries": entries}
        return {
            "as_of": moment.day.isoformat(),
            "known_at": plain(moment.known_at),
            "unit": unit,
            "rules": {
                "recurrence_window_days": self.rules.recurrence_window_days,
                "penalised_open_days": self.rules.penalised_open_days,
            },
            "lists": lists,
        }


class _Facts:
    """What the rules read as of one business date and recording time, loaded once per request: the
    rows, cut by the acts' two times (``self.at``), and each hazard folded once (``status``)."""

    def __init__(self, queries: AccountabilityQueries, at: AsOf) -> None:
        self.q = queries
        self.at = at
        self.as_of = at.day
        self.cache: dict[tuple[str, int], tuple[str, str | None]] = {}
        self.hazards: dict[str, dict[str, Any]] = {}
        self.inspections: dict[str, dict[str, Any]] = {}
        self.accidents: dict[str, dict[str, Any]] = {}
        self.links: list[tuple[str, str, str, str]] = []
        self.evidence: dict[tuple[str, int], dict[str, Any]] = {}
        self.by_record: dict[str, list[dict[str, Any]]] = {}  # the evidence acts of each record, in business order
        self.signers: dict[str, list[dict[str, Any]]] = {}
        self.signed_acts: list[dict[str, Any]] = []
        self.statuses: dict[str, HazardStatus] = {}

    @classmethod
    def load(cls, queries: AccountabilityQueries, kinds: Iterable[str], at: AsOf) -> _Facts:
        f = cls(queries, at)
        t = queries.tables()
        acts = t["acts"]
        with queries.engine.connect() as conn:
            hazards = [dict(r) for r in conn.execute(select(t["hazards"])).mappings()]
            f.inspections = {r["id"]: dict(r) for r in conn.execute(select(t["inspections"])).mappings()}
            f.accidents = {r["id"]: dict(r) for r in conn.execute(select(t["accidents"])).mappings()}
            f.links = [tuple(r) for r in conn.execute(select(t["links"]).order_by(t["links"].c.position, t["links"].c.seq))]  # type: ignore[misc]
            rows = conn.execute(
                select(acts)
                .where(and_(acts.c.seq == 0, acts.c.event_type.in_(_EVIDENCE_TYPES)))
                .order_by(acts.c.occ, acts.c.position)
            ).mappings()
            for row in rows:
                if not at.happened(row["occ"], row["rec"]):
                    continue  # dated after the day, or recorded after ``known_at``: not a fact as of then
                act = queries._act(row, f.cache)
                f.evidence[(row["record_id"], row["record_version"])] = act
                f.by_record.setdefault(row["record_id"], []).append(act)
                if row["event_type"] == "InspectionSigned":
                    f.signers.setdefault(row["record_id"], []).append(act)
            if rules.REVOKED_KEY in kinds:
                signed = conn.execute(
                    select(acts).where(and_(acts.c.seq == 0, acts.c.signed.is_(True))).order_by(acts.c.occ, acts.c.position)
                ).mappings()
                f.signed_acts = [queries._act(r, f.cache) for r in signed if at.happened(r["occ"], r["rec"])]
        # a hazard exists as of then when its report happened by then; its facts come from the one fold
        for h in sorted(hazards, key=lambda h: (utc(h["reported_occ"]), h["id"])):  # business order, not recording
            status = row_status(h, at.end, at.known_at)
            if status.state is not None:
                f.hazards[h["id"]] = h
                f.statuses[h["id"]] = status
        # an inspection or an accident exists as of then when its first act happened by then
        f.inspections = {k: i for k, i in f.inspections.items() if (k, 1) in f.evidence}
        f.accidents = {k: a for k, a in f.accidents.items() if (k, 1) in f.evidence}
        return f

    @property
    def lists(self) -> dict[str, Callable[[], list[dict[str, Any]]]]:
        """Each list's entries by its code."""
        return {
            rules.MISSED: self.inspected_but_missed, rules.RECURRED: self.verified_but_recurred,
            rules.PENALISED_OPEN: self.penalised_but_not_rectified, rules.OVERDUE: self.overdue,
            rules.REVOKED_KEY: self.signed_with_revoked_key, rules.PENALTY_CONFLICT: self.penalty_against_rules,
        }  # fmt: skip

    # ----- rule inputs -----

    def _findings(self, inspection: dict[str, Any]) -> list[dict[str, Any]]:
        """The inspection's findings recorded as of then."""
        return [f for f in inspection["findings"] if (inspection["id"], f["version"]) in self.evidence]

    def _items(self) -> dict[str, str]:
        items: dict[str, str] = {}
        for inspection in self.inspections.values():
            for finding in self._findings(inspection):
                for hazard_id in finding["hazard_ids"]:
                    items.setdefault(hazard_id, finding["item"])
        return items

    def _hazard_facts(self) -> dict[str, rules.HazardFacts]:
        items = self._items()
        facts = {}
        for h in self.hazards.values():
            status = self.statuses[h["id"]]
            facts[h["id"]] = rules.HazardFacts(
                id=h["id"],
                enterprise_id=h["enterprise_id"],
                criterion=h["criterion"],
                existed_since=h["existed_since"],
                reported_at=utc(status.reported_at),  # type: ignore[arg-type]
                item=items.get(h["id"]),
                found_by=h["inspection_id"],
                rectified_at=utc(status.rectified_at),
                overdue=status.overdue,
                deadline=status.deadline,
                first_missed_at=utc(status.misses[0].missed_at) if status.misses else None,
                overdue_since=utc(status.missed_at),
            )  # fmt: skip
        return facts

    def _units(self, hazard_id: str | None, persons: Iterable[dict[str, Any]]) -> set[str]:
        units = {p.get("organisation_id") for p in persons if p.get("organisation_id")}
        if hazard_id in self.hazards:
            units |= {self.hazards[hazard_id]["department"], self.hazards[hazard_id]["jurisdiction"]}
        return units  # type: ignore[return-value]

    def _ev(self, record_id: str, version: int | None) -> list[dict[str, Any]]:
        found = self.evidence.get((record_id, version)) if version is not None else None  # type: ignore[arg-type]
        return [found] if found else []

    def _last(self, record_id: str, *event_types: str) -> dict[str, Any] | None:
        """The record's latest act of these types as of then."""
        return next((a for a in reversed(self.by_record.get(record_id, [])) if a["event_type"] in event_types), None)

    def _hazard(self, hazard_id: str) -> dict[str, Any]:
        """The hazard's view, its state as of then (the fold's)."""
        status = self.statuses[hazard_id]
        return {**_hazard_view(self.hazards[hazard_id]), "state": status.state.value if status.state else None}

    # ----- the lists (one method per kind, named by its code) -----

    def inspected_but_missed(self) -> list[dict[str, Any]]:
        hazards = self._hazard_facts()
        statements = [
            rules.CleanStatement(
                inspection_id=i["id"],
                enterprise_id=i["enterprise_id"],
                conducted_at=utc(i["occ"]),  # type: ignore[arg-type]
                clean_items=frozenset(f["item"] for f in self._findings(i) if f["no_major_hazard"]),
                signed=bool(self.signers.get(i["id"])),
            )  # fmt: skip
            for i in self.inspections.values()
        ]
        entries = []
        for hazard, statement in rules.inspected_but_missed(hazards.values(), statements):
            inspection = self.inspections[statement.inspection_id]
            signed = self.signers.get(statement.inspection_id, [])
            persons = [{**a["person"], "act": a["act"], "signature": a["signature"]} for a in signed]
            clean = [
                f for f in self._findings(inspection)
                if f["no_major_hazard"] and (hazard.item is None or f["item"] == hazard.item)
            ]  # fmt: skip
            evidence = [
                *self._ev(inspection["id"], 1),
                *(e for f in clean for e in self._ev(inspection["id"], f["version"])),
                *signed,
                *self._ev(hazard.id, 1),
            ]
            entries.append({
                "kind": rules.MISSED, "hazard": self._hazard(hazard.id), "hazard_item": hazard.item,
                "inspection": {"id": inspection["id"], "organisation_id": inspection["organisation_id"],
                               "conducted_at": plain(utc(inspection["occ"])), "clean_items": sorted(statement.clean_items),
                               "team": inspection["team"]},
                "persons": persons, "records": [_rec("inspection", inspection["id"]), _rec("hazard", hazard.id)],
                "evidence": evidence, "units": self._units(hazard.id, persons),
            })  # fmt: skip
        return entries

    def verified_but_recurred(self) -> list[dict[str, Any]]:
        verified = {h_id: a for h_id in self.hazards if (a := self._last(h_id, "VerificationPassed")) is not None}
        verifications = [
            rules.Verification(h_id, self.hazards[h_id]["enterprise_id"], self.hazards[h_id]["criterion"],
                               datetime.fromisoformat(a["occurred_at"]))  # fmt: skip
            for h_id, a in verified.items()
        ]
        follow_ups = [
            rules.Recurrence("hazard", h["id"], h["enterprise_id"], h["criterion"], utc(self.statuses[h["id"]].reported_at))  # type: ignore[arg-type]
            for h in self.hazards.values()
        ] + [
            rules.Recurrence("accident", a["id"], a["enterprise_id"], "", utc(a["occ"]))  # type: ignore[arg-type]
            for a in self.accidents.values()
            if a["enterprise_id"]
        ]
        entries = []
        for v, r in rules.verified_but_recurred(verifications, follow_ups, self.q.rules.recurrence_window_days):
            verification = [verified[v.hazard_id]]
            persons = [{**a["person"], "act": a["act"], "signature": a["signature"]} for a in verification]
            follow = self.hazards.get(r.record_id) if r.kind == "hazard" else self.accidents.get(r.record_id)
            entries.append({
                "kind": rules.RECURRED, "hazard": self._hazard(v.hazard_id), "verified_at": plain(v.verified_at),
                "recurrence": {"kind": r.kind, "id": r.record_id, "at": plain(r.at),
                               "days_after_verification": (business_date(r.at) - business_date(v.verified_at)).days,
                               "criterion": r.criterion or None, "description": (follow or {}).get("description")},
                "persons": persons, "records": [_rec("hazard", v.hazard_id), _rec(r.kind, r.record_id)],
                "evidence": [*verification, *self._ev(r.record_id, 1)], "units": self._units(v.hazard_id, persons),
            })  # fmt: skip
        return entries

    def penalised_but_not_rectified(self) -> list[dict[str, Any]]:
        as_of = self.as_of
        cited: dict[str, list[str]] = {}
        for _, _, source, source_kind, target, target_kind in self.links:
            if source_kind == "case" and target_kind == "hazard":
                cited.setdefault(source, []).append(target)
        penalties = [a for a in self.evidence.values() if a["event_type"] in PENALTY_EVENTS]
        citations = [
            rules.PenaltyCitation(h, p["record"]["id"], datetime.fromisoformat(p["occurred_at"]), p["position"])
            for p in penalties
            for h in cited.get(p["record"]["id"], [])
        ]
        by_position = {p["position"]: p for p in penalties}
        entries = []
        open_days = self.q.rules.penalised_open_days
        for c, hazard in rules.penalised_but_not_rectified(citations, self._hazard_facts(), open_days, as_of):
            penalty = by_position[c.position]
            persons = [{**penalty["person"], "act": penalty["act"], "signature": penalty["signature"]}]
            status = self.statuses[hazard.id]
            entries.append({
                "kind": rules.PENALISED_OPEN, "hazard": self._hazard(hazard.id), "case_id": c.case_id,
                "penalised_at": plain(c.decided_at), "due": rules.penalty_due(c.decided_at, open_days).isoformat(),
                "days_since_penalty": (as_of - business_date(c.decided_at)).days,
                "deadline": plain(status.deadline), "missed_at": plain(hazard.first_missed_at),
                "missed_deadlines": [plain(m.deadline) for m in status.misses],
                "persons": persons, "records": [_rec("case", c.case_id), _rec("hazard", hazard.id)],
                "evidence": [*self._ev(c.case_id, 1), penalty, *self._ev(hazard.id, 1)],
                "units": self._units(hazard.id, persons),
            })  # fmt: skip
        return entries

    def overdue(self) -> list[dict[str, Any]]:
        entries = []
        for hazard in rules.overdue_on(self._hazard_facts().values()):
            row = self.hazards[hazard.id]
            plan = self._last(hazard.id, "RectificationPlanFiled")
            persons = []
            if plan is not None:
                persons.append({**plan["person"], "act": plan["act"], "signature": plan["signature"]})
            if row["responsible_person"]:
                persons.append({"user_id": None, "name": row["responsible_person"], "role": "responsible_person",
                                "role_zh": "整改责任人", "organisation_id": row["enterprise_id"], "organisation_name": None,
                                "act": "named_responsible", "signature": None})  # fmt: skip
            deadline = hazard.deadline
            extension = self._last(hazard.id, "DeadlineExtended", "ExtensionApproved")
            statement = self._statement(hazard.id, deadline)
            entries.append({
                "kind": rules.OVERDUE, "hazard": self._hazard(hazard.id), "deadline": plain(deadline),
                "missed_at": plain(hazard.overdue_since),
                "days_overdue": rules.days_overdue(deadline, self.as_of) if deadline else None,
                "persons": persons, "records": [_rec("hazard", hazard.id)],
                "evidence": [*([plan] if plan else []), *([extension] if extension else []),
                             *([statement] if statement else [])],
                "units": self._units(hazard.id, persons),
            })  # fmt: skip
        return entries

    def _statement(self, hazard_id: str, deadline: date | None) -> dict[str, Any] | None:
        """A 区安委办 clerk's latest statement (as of then) that the deadline was missed, if any."""
        for a in reversed(self.by_record.get(hazard_id, [])):
            details = a["details"] or {}
            if a["event_type"] in ("DeadlineMissRecorded", "DeadlineMissed") and details.get("deadline") == plain(deadline):
                return a if details.get("missed", True) and a["person"]["role"] != Role.SYSTEM.value else None
        return None

    def signed_with_revoked_key(self) -> list[dict[str, Any]]:
        keys = self.q._keys(self.cache) or {}
        entries = []
        for act in self.signed_acts:
            if not rules.signed_with_revoked_key(act["signature"]["status"]):
                continue
            key = keys.get(act["signature"]["key_id"])
            revoked_at = getattr(key, "revoked_at", None)
            if revoked_at is not None and utc(revoked_at) > self.at.end:  # type: ignore[operator]
                continue  # revoked after the day: not yet revoked as of then
            record = act["record"]
            persons = [{**act["person"], "act": act["act"], "signature": act["signature"]}]
            hazard_id = record["id"] if record["kind"] == "hazard" else None
            entries.append({
                "kind": rules.REVOKED_KEY, "hazard": self._hazard(hazard_id) if hazard_id in self.hazards else None,  # type: ignore[arg-type]
                "persons": persons, "records": [_rec(record["kind"], record["id"])], "evidence": [act],
                "units": self._units(hazard_id, persons),
            })  # fmt: skip
        return entries


    def penalty_against_rules(self) -> list[dict[str, Any]]:
        entries = []
        for c in self.q.penalty_conflicts(self.at):
            case_id = str(c.case_id)
            decision = self.evidence.get((case_id, c.version))
            persons = [{**decision["person"], "act": decision["act"], "signature": decision["signature"]}] if decision else []
            hazard_ids = [str(h) for h in c.hazard_ids]
            units = {c.department}.union(self._units(None, persons), *(self._units(h, persons) for h in hazard_ids))
            entries.append({
                "kind": rules.PENALTY_CONFLICT, **c.view(), "persons": persons,
                "records": [_rec("case", case_id), *(_rec("hazard", h) for h in hazard_ids)],
                "evidence": [*self._ev(case_id, 1), *([decision] if decision else [])], "units": units,
            })  # fmt: skip
        return entries


def _rec(kind: str, record_id: str) -> dict[str, str]:
    return {"kind": kind, "id": record_id}


def _hazard_view(h: Any) -> dict[str, Any]:
    return {
        "id": h["id"],
        "enterprise_id": h["enterprise_id"],
        "description": h["description"],
        "grade": h["grade"],
        "criterion": h["criterion"],
        "state": h["state"],
        "department": h["department"],
        "jurisdiction": h["jurisdiction"],
        "existed_since": plain(h["existed_since"]),
        "reported_at": plain(utc(h["reported_occ"])),
        "version": h["version"],
    }
