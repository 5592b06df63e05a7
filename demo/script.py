"""The interpreter of the scripted stories in ``demo/data/stories.toml``.

A story is a list of steps; each step names what it does (``do``: a verb of ``demo/verbs.py``,
``open_case``, ``report_accident``, ``evidence`` or ``let``), the record it acts on (``on``), who acts
(``by``), when in the campaign (``at = [month, day, hour]`` or ``[month, day, hour, minute]``, or
``{after = "<hazard>", hours = n}``), and the command's other fields. Names (``on``, ``by`` and
``{name.attr[0]}`` in texts) are looked up in the story's context: what the story's code picked
from the seed, the cast, and what earlier steps bound (``as``, ``let``). Texts are filled in when the
step runs, so ``{case.number}`` and ``{h.id}`` are the ledger's; a text that is only ``{name}`` is
the value itself.

The placeholders drawn from the seed, resolved by ``draw`` when the story is planned:

- ``{wan = [lo, hi]}`` / ``{qian = [lo, hi]}``: a fine in whole 万元 / 千元, as yuan;
- ``"$decision_number"``: the next 处罚决定书文号 of the case's department (taken when it runs);
- ``{series = "呈应急责停"}``: the next number of that series (taken when it runs);
- ``{text = "呈政关〔{year}〕{n}号", n = [lo, hi]}``: a text with a number drawn between lo and hi,
  filled in when planned (``year_offset`` moves ``{year}``, the campaign's year);
- ``{date = [month, day]}``: a day of the campaign;
- ``{plan = {deadline = [month, day], major = true, stoppage = "none"}}``: a rectification plan for the hazard;
- ``"$person"``: a new person's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from demo.planner import Planner
from demo.records import _Accident, _Case, _Enterprise, _Hazard, _Next
from demo.tables import JOINT_MEASURES, SAFETY_LAW, STORIES
from demo.verbs import VERBS
from domain.actor import Actor
from domain.commands.accidents import ReportAccident
from domain.glossary import AccidentGrade, Assessor, Stoppage, SupervisionLevel
from domain.ledger import Receipt

# the fields whose values the data spells as an enumeration's value
_ENUMS: dict[str, type] = {"assessed_by": Assessor, "level": SupervisionLevel}
# the id field a verb's record goes in as
_ID_FIELD = {_Hazard: "hazard_id", _Case: "case_id", _Accident: "accident_id"}
_NAME = re.compile(r"\{([A-Za-z_][\w.\[\]-]*)\}")
_PART = re.compile(r"\.?([A-Za-z_]\w*)|\[(-?\d+)\]")


def lookup(ctx: dict[str, Any], path: str) -> Any:
    """``a.b[0].c`` in the context: dictionary keys, attributes and list positions."""
    value: Any = ctx
    for name, index in _PART.findall(path):
        if index:
            value = value[int(index)]
        elif isinstance(value, dict):
            value = value[name]
        else:
            value = getattr(value, name)
    return value


def fill(value: Any, ctx: dict[str, Any]) -> Any:
    """Run time: the texts' ``{name}`` filled in, ``_Next`` numbers issued by the caller."""
    if isinstance(value, str):
        whole = _NAME.fullmatch(value)
        if whole:
            return lookup(ctx, whole.group(1))
        return _NAME.sub(lambda m: str(lookup(ctx, m.group(1))), value)
    if isinstance(value, list):
        return [fill(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ctx) for k, v in value.items()}
    return value


class Script(Planner):
    """Plans a scripted story of ``demo/data/stories.toml`` step by step."""

    def story_context(self, **picks: Any) -> dict[str, Any]:
        return {
            **self.inspectors,
            "law": SAFETY_LAW,
            "joint_measures": list(JOINT_MEASURES),
            "year": self.start.year,
            "director": self.director,
            "experts": self.experts,
            "leaders": self.leaders,
            **picks,
        }

    def run_story(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        for step in STORIES[name]:
            self.story_step(dict(step), ctx)
        return ctx

    def draw(self, value: Any, target: Any, ctx: dict[str, Any]) -> Any:
        """Plan time: the placeholders drawn from the seed (see the module's doc)."""
        if value == "$decision_number":
            return self.decision_number(target.unit)
        if value == "$person":
            return self.person_name()
        if isinstance(value, list):
            return [self.draw(v, target, ctx) for v in value]
        if not isinstance(value, dict):
            return value
        kinds = [(k, v) for k, v in value.items() if k in ("wan", "qian", "series", "text", "date", "plan")]
        if len(kinds) != 1:
            raise ValueError(f"demo story: not a placeholder: {value}")
        [(kind, arg)] = kinds
        if kind == "wan":
            return self.wan(*arg)
        if kind == "qian":
            return self.qian(*arg)
        if kind == "series":
            return self.next_number(arg)
        if kind == "text":
            year, n = self.start.year + value.get("year_offset", 0), self.rng.randint(*value["n"])
            return arg.format_map({**ctx, "year": year, "n": n})
        if kind == "date":
            return self.on(*arg)
        return self.plan_for(
            target,
            self.on(*arg["deadline"]),
            major=arg.get("major", True),
            stoppage=Stoppage(arg.get("stoppage", "none")),
        )

    def when(self, at: Any, ctx: dict[str, Any]) -> datetime:
        if isinstance(at, dict):
            return lookup(ctx, at["after"]).t0 + timedelta(hours=at["hours"])
        return self.at(*at)

    def story_step(self, step: dict[str, Any], ctx: dict[str, Any]) -> None:
        do = step.pop("do")
        if do == "let":
            for name, value in step.items():
                self.bind(ctx, name, fill(self.draw(value, None, ctx), ctx))
            return
        target = lookup(ctx, step.pop("on")) if "on" in step else None
        actor = lookup(ctx, step.pop("by"))
        when = self.when(step.pop("at"), ctx)
        bind = step.pop("as", None)
        values = {k: self.draw(v, target, ctx) for k, v in step.items()}
        if do == "open_case":
            ent = lookup(ctx, values.pop("enterprise", "ent"))
            hazards = [lookup(ctx, n) for n in values.pop("hazards", [])]
            accidents = [lookup(ctx, n) for n in values.pop("accidents", [])]
            case = self.new_case(values.pop("unit"), ent, actor, hazards, accidents)
            self.open_case(case, when, fill(values.pop("legal_basis"), ctx))
            self.story_cases[bind] = self.bind(ctx, bind, case)
            return
        if do == "report_accident":
            self.bind(ctx, bind, self.report_accident(lookup(ctx, values.pop("enterprise")), actor, when, fill(values, ctx)))
            return
        if do == "evidence":
            self.add(when, f"evidence {target.key} {values['title']}", self.evidence_step(target, actor, when, **values))
            return
        self.add(when, self.step_label(do, target, actor, values), self.verb_step(do, target, actor, when, values, ctx))

    @staticmethod
    def bind(ctx: dict[str, Any], name: str, value: Any) -> Any:
        """A name is bound once in a story: its texts are filled in when their steps run."""
        if name in ctx:
            raise ValueError(f"demo story: {name} is bound twice")
        ctx[name] = value
        return value

    def report_accident(self, ent: _Enterprise, reporter: Actor, when: datetime, values: dict[str, Any]) -> _Accident:
        acc = _Accident(f"A{len(self.accidents) + 1}", ent)
        self.accidents.append(acc)
        grade = AccidentGrade(values.pop("grade"))
        command = ReportAccident(enterprise_id=ent.id, grade=grade, occurred_at=when, **values)
        self.create(acc, reporter, when, f"accident {acc.key} {ent.credit_code} {grade} {values}", command)
        return acc

    @staticmethod
    def step_label(do: str, target: Any, actor: Any, values: dict[str, Any]) -> str:
        drawn = [str(v) for v in values.values() if isinstance(v, int | _Next) and not isinstance(v, bool)]
        return " ".join([do, target.key, actor.user_id, *drawn])

    def verb_step(
        self, do: str, target: Any, actor: Any, when: datetime, values: dict[str, Any], ctx: dict[str, Any]
    ) -> Callable[[], Receipt]:
        command_type = VERBS[do]  # an unknown verb fails when the story is planned

        def run() -> Receipt:
            args = {}
            for key, value in values.items():
                value = self.issue(value) if isinstance(value, _Next) else fill(value, ctx)
                if key in _ENUMS:
                    value = [_ENUMS[key](v) for v in value] if isinstance(value, list) else _ENUMS[key](value)
                args[key] = value
            if isinstance(values.get("decision_number"), _Next):
                target.decisions.append(args["decision_number"])
            command = command_type(**{_ID_FIELD[type(target)]: target.id}, occurred_at=when, **args)  # type: ignore[call-arg]
            return self.act(actor, command)

        return run
