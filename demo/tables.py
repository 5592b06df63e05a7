"""The demo district's fixed material, read from the data files in ``demo/data/`` (package data):

- ``enterprises.toml``: enterprise name patterns and streets per sector row, roads, name pools;
- ``hazards.toml``: hazard templates per sector row and checklist item;
- ``campaign.toml``: the campaign's shape (how many hazards, when, how found) and the stories' fixed texts;
- ``stories.toml``: the scripted stories, step by step (the enforcement cases), and the publication batches;
- ``risk_points.toml`` and ``supplies.csv``: Annex 3's risk points and their emergency supplies;
- ``problems.toml``: outstanding problems (突出问题);
- ``office_activities.csv``: the 区安委办's own work-log activities.

What is random (who, when, which enterprise) stays with the seed in the story code.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from domain.glossary import ActivityKind, Assessor, GovernmentMeasure, Grade, HazardState

# A hazard template: grade, description, criterion clause (majors), rectification measures and,
# optionally, the locations it fits (otherwise the sector's). {n} and {pct} are filled in.
Template = tuple[Grade, str, str, str, tuple[str, ...]]


@dataclass(frozen=True)
class RiskSpec:
    """One row of Annex 3: a major risk point with the content of its four lists. ``shape`` says how
    far its lists get filled: "full", or incomplete as "no_emergency", "no_phone", "basic_only"."""

    sector: str
    name: str
    place: str
    description: str
    accident_types: tuple[str, ...]
    casualties: int
    loss_wan: int
    impact: str
    measures: tuple[str, ...]
    government: tuple[GovernmentMeasure, ...]
    emergency: tuple[str, ...]
    kit: str
    shape: str = "full"


def _text(name: str) -> str:
    return resources.files("demo").joinpath("data", name).read_text(encoding="utf-8")


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads(_text(name))


def _template(row: dict[str, Any]) -> Template:
    return (
        Grade(row["grade"]),
        row["description"],
        row.get("criterion", ""),
        row["measures"],
        tuple(row.get("locations", ())),
    )


_enterprises = _toml("enterprises.toml")
_campaign = _toml("campaign.toml")

# enterprises and people
PROFILES: dict[str, tuple[list[tuple[str, bool]], list[str]]] = {
    sector: ([(e["name"], e["high_risk"]) for e in p["enterprises"]], p["streets"])
    for sector, p in _enterprises["profiles"].items()
}
ROADS: dict[str, list[str]] = _enterprises["roads"]
TRADE_NAMES = tuple(_enterprises["trade_names"].split())
SURNAMES = tuple(_enterprises["surnames"].split())
GIVEN = tuple(_enterprises["given_names"].split())
EXPERT_BODY = (_enterprises["expert_body"]["id"], _enterprises["expert_body"]["name"])

# hazard templates
HAZARDS: dict[str, dict[str, list[Template]]] = {
    sector: {item: [_template(row) for row in rows] for item, rows in items.items()}
    for sector, items in _toml("hazards.toml").items()
}

# the campaign's shape
TOTAL_HAZARDS: int = _campaign["total_hazards"]
MONTH_WEIGHTS: tuple[float, ...] = tuple(_campaign["month_weights"])
SOURCE_WEIGHTS: dict[str, float] = _campaign["source_weights"]
MAJOR_SHARE: dict[str, float] = _campaign["major_share"]
MISSED_PAIRS: int = _campaign["missed_pairs"]
MIN_STATE: dict[HazardState, int] = {HazardState(k): v for k, v in _campaign["min_state"].items()}

# the stories' fixed texts
SAFETY_LAW: str = _campaign["safety_law"]
JOINT_MEASURES: tuple[str, ...] = tuple(_campaign["joint_measures"])
CASE_PREFIXES: dict[str, tuple[str, str]] = {u: (p["case"], p["decision"]) for u, p in _campaign["case_prefixes"].items()}
FATAL_ACCIDENTS: dict[str, tuple[str, str, str]] = {
    s: (a["item"], a["what"], a["place"]) for s, a in _campaign["fatal_accidents"].items()
}
MINOR_ACCIDENTS: dict[str, tuple[str, str]] = {s: (a["what"], a["place"]) for s, a in _campaign["minor_accidents"].items()}
GAS_ALARM_OFF: Template = _template(_campaign["gas_alarm_off"])

# the texts of the hazards' lifecycles; a verification's opinion and assessors by the verifier's
# role (principal, expert, inspector) and the hazard's grade
LIFECYCLE: dict[str, Any] = _campaign["lifecycle"]
VERIFY: dict[str, tuple[str, dict[bool, list[Assessor]]]] = {
    role: (v["opinion"], {True: [Assessor(a) for a in v["major"]], False: [Assessor(a) for a in v["general"]]})
    for role, v in LIFECYCLE.pop("verify").items()
}

# the scripted stories (steps interpreted by demo/script.py) and the publication batches
_stories = _toml("stories.toml")
BATCHES: tuple[dict[str, Any], ...] = tuple(_stories.pop("batches"))
STORIES: dict[str, tuple[dict[str, Any], ...]] = {name: tuple(steps) for name, steps in _stories.items()}

# the 区安委办's own work-log activities (its reporting unit is "ajb"): kind, month, note and the
# figures of the activity (count, value, sector, reward amounts), empty where they do not apply
OFFICE_ACTIVITIES: tuple[dict[str, Any], ...] = tuple(
    {
        "kind": ActivityKind(row["kind"]),
        "month": int(row["month"]),
        "note": row["note"],
        **{k: (v if k == "sector" else int(v)) for k, v in row.items() if k not in ("kind", "month", "note") and v},
    }
    for row in csv.DictReader(io.StringIO(_text("office_activities.csv")))
)

# risk points, their supplies, outstanding problems
SUPPLY_KITS: dict[str, tuple[tuple[str, str, int, str], ...]] = {}
for _row in csv.DictReader(io.StringIO(_text("supplies.csv"))):
    SUPPLY_KITS[_row["kit"]] = (
        *SUPPLY_KITS.get(_row["kit"], ()),
        (_row["category"], _row["name"], int(_row["quantity"]), _row["unit"]),
    )
RISK_POINTS: tuple[RiskSpec, ...] = tuple(
    RiskSpec(
        **{
            **row,
            "accident_types": tuple(row["accident_types"]),
            "measures": tuple(row["measures"]),
            "government": tuple(GovernmentMeasure(g) for g in row["government"]),
            "emergency": tuple(row["emergency"]),
        }
    )
    for row in _toml("risk_points.toml")["risk_points"]
)
PROBLEMS: tuple[tuple[str, str, str, tuple[str, ...], bool], ...] = tuple(
    (p["unit"], p["sector"], p["description"], tuple(p["root_cause_measures"]), p["rectified"])
    for p in _toml("problems.toml")["problems"]
)
