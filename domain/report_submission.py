"""A submitted report (报表报送) is frozen (DESIGN §4): ``ReportSubmitted`` stores the figures of one annex
table as they were known when it was submitted, and the SHA-256 of their RFC 8785 canonical JSON. A later
change of the underlying events (e.g. a back-dated verification) never edits it: it shows up as a
restatement — the table recomputed now, compared cell by cell with the frozen one.

Identity: one stream per (annex, unit or ``district``, as-of date, sequence); the first submission of a
cut-off is sequence 1, a resubmission (a correction after a restatement) sequence 2, … and names the one
it supersedes. The id is a uuid5 of the four, so two clerks submitting at once collide in the store
(the service retries with the next sequence) and a cut-off's submissions are found without a read
model. The record has one event and accepts nothing after it.

Figures are plain JSON: ints as ints, money and rates (``Decimal``) as strings with 2 decimals, an
undefined rate as null, 是/否 as booleans. The canonical JSON of
``{"annex", "unit", "as_of", "known_at", "rows": [{"key", "label", …, "cells": {…}}]}`` is what is hashed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import rfc8785
from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.annex_forms import ANNEX1, ANNEX2, ANNEX3, annex2_column
from domain.errors import DomainError
from domain.inputs import invalid
from domain.signatures import PersonalSignature, upcast_unsigned_v1_v2

# The reports a unit submits, by the route name used everywhere (附件1 调度表, 附件2 统计表, 附件3 4个清单).
ANNEXES: tuple[str, ...] = ("annex1", "annex2", "annex3")
DISTRICT = "district"  # stands for the district roll-up (区安委办) where a unit id would be

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/report-submission")


def check_annex(annex: str) -> str:
    if annex not in ANNEXES:
        raise DomainError("unknown_annex", annex=annex, known=", ".join(ANNEXES))
    return annex


def submission_id_for(annex: str, unit: str | None, as_of: date, sequence: int) -> UUID:
    """The n-th submission of one annex, unit (None: the district) and cut-off."""
    return uuid5(_NAMESPACE, f"{annex}|{unit or DISTRICT}|{as_of.isoformat()}|{sequence}")


# ===== figures: plain, canonical, hashed =========================================================


def plain_figure(value: Any) -> Any:
    """A figure as stored: ints and booleans as they are, Decimals as strings with 2 decimals, None as
    null, text as text; lists and mappings element-wise. Floats are refused (figures are exact)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain_figure(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_figure(v) for v in value]
    raise TypeError(f"not a figure: {value!r}")


def canonical_json(figures: Mapping[str, Any]) -> bytes:
    """RFC 8785 (JCS) canonical JSON of plain figures: the bytes that are hashed and may be signed."""
    return rfc8785.dumps(plain_figure(figures))


def figures_sha256(figures: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(figures)).hexdigest()


def table_figures(annex: str, table: Mapping[str, Any], *, as_of: date, known_at: datetime | None) -> dict[str, Any]:
    """The figures of one annex table (as ``AnnexQueries`` computes it) in the frozen form: one row per
    Annex 1 item, Annex 2 row (累计总计, 本月总计, sectors) or Annex 3 risk point, each with its cells."""
    check_annex(annex)
    rows: list[dict[str, Any]] = []
    if annex == "annex1":
        for section in table["sections"]:
            for item in section["items"]:
                rows.append({"key": item["key"], "section": section["key"], "number": item["number"],
                             "label": item["label"], "unit": item["unit"], "cells": item["figures"]})  # fmt: skip
    elif annex == "annex2":
        for row in table["rows"]:
            rows.append({"key": row["key"], "label": row["label"], "parent": row.get("parent"), "cells": row["cells"]})
    else:
        for row in table["rows"]:
            cells = {k: v for k, v in row.items() if k not in ("id", "number")}
            rows.append({"key": str(row["id"]), "number": row["number"], "label": row["name"], "cells": cells})
    return plain_figure(
        {
            "annex": annex,
            "unit": table.get("unit"),
            "as_of": as_of,
            "known_at": known_at.isoformat() if known_at else None,
            "rows": rows,
        }
    )


# ===== restatement ================================================================================

_ANNEX1_LABELS = {item.key: item.label for section in ANNEX1 for item in section.items}
_ANNEX3_LABELS = {
    **{c.key: c.label for c in ANNEX3},
    "department_phone": next(c.label for c in ANNEX3 if c.key == "department"),
    "principal_phone": next(c.label for c in ANNEX3 if c.key == "principal"),
    "controlled": annex2_column("risks_controlled").label,
}
_ANNEX2_LABELS = {c.key: c.label for c in ANNEX2}
_MISSING = object()


def cell_label(annex: str, row: str, key: str) -> str:
    """The form's label of a cell: the Annex 1 item, the Annex 2 column, the Annex 3 list column."""
    if annex == "annex1":
        return _ANNEX1_LABELS.get(row, row)
    if annex == "annex2":
        return _ANNEX2_LABELS.get(key, key)
    return _ANNEX3_LABELS.get(key, key)


def _same(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return a is b
    return bool(rfc8785.dumps(a) == rfc8785.dumps(b))


def restatement(submitted: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any]:
    """The frozen figures against the same table recomputed now, cell by cell. A row that appeared or
    disappeared (an Annex 3 risk point) shows each of its cells with null on the other side."""
    annex = submitted["annex"]
    before = {row["key"]: row for row in submitted["rows"]}
    after = {row["key"]: row for row in now["rows"]}
    order = [*after, *(key for key in before if key not in after)]
    changes = []
    for row_key in order:
        old, new = before.get(row_key), after.get(row_key)
        old_cells = old["cells"] if old else {}
        new_cells = new["cells"] if new else {}
        for key in [*old_cells, *(k for k in new_cells if k not in old_cells)]:
            a, b = old_cells.get(key, _MISSING), new_cells.get(key, _MISSING)
            if _same(a, b):
                continue
            changes.append(
                {
                    "row": row_key,
                    "row_label": (new or old or {}).get("label"),
                    "key": key,
                    "label": cell_label(annex, row_key, key),
                    "submitted": None if a is _MISSING else a,
                    "now": None if b is _MISSING else b,
                }
            )
    return {"restated": bool(changes), "changes": changes}


# ===== the aggregate ==============================================================================


@stable_topics
class ReportSubmission(LedgerAggregate):
    """One submitted annex table: who submitted which figures, for which cut-off, known at which time."""

    not_found_code = "submission_not_found"

    @staticmethod
    def create_id(annex: str, unit: str | None, as_of: date, sequence: int, **_: object) -> UUID:  # type: ignore[override]
        return submission_id_for(annex, unit, as_of, sequence)

    # A signed act (class_version 2): the submitter's personal signature, over the submission's id and
    # the figures' SHA-256; a v1 event (stored before signatures) comes back with ``signature=None``.
    # class_version 3: the form's 审核人 and the submitter's 联系电话 (both blank in an older event).
    class ReportSubmitted(LedgerAggregate.Created):
        class_version = 3
        annex: str
        unit: str | None
        as_of: date
        sequence: int
        supersedes: UUID | None
        known_at: datetime
        figures: dict[str, Any]
        sha256: str
        note: str
        signature: PersonalSignature | None
        reviewer: str
        contact_phone: str
        upcast_v1_v2 = staticmethod(upcast_unsigned_v1_v2)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("reviewer", "")
            state.setdefault("contact_phone", "")

    @event(ReportSubmitted)
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        annex: str,
        unit: str | None,
        as_of: date,
        sequence: int,
        supersedes: UUID | None,
        known_at: datetime,
        figures: dict[str, Any],
        sha256: str,
        note: str,
        signature: PersonalSignature | None,
        reviewer: str,
        contact_phone: str,
    ) -> None:
        self.annex = annex
        self.unit = unit
        self.as_of = as_of
        self.sequence = sequence
        self.supersedes = supersedes
        self.known_at = known_at
        self.figures = figures
        self.sha256 = sha256
        self.note = note
        self.submitted_by = actor
        self.submitted_at = occurred_at
        self.signature = signature
        self.reviewer = reviewer  # 审核人, as the form prints it
        self.contact_phone = contact_phone  # the submitter's 联系电话

    @classmethod
    def submit(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        annex: str,
        unit: str | None,
        as_of: date,
        sequence: int,
        supersedes: UUID | None,
        known_at: datetime,
        figures: Mapping[str, Any],
        note: str = "",
        signature: PersonalSignature | None = None,
        reviewer: str = "",
        contact_phone: str = "",
    ) -> ReportSubmission:
        check_annex(annex)
        if known_at.tzinfo is None:
            invalid("known_at", "a time with its zone", "应为带时区的时间")
        if sequence < 1:
            invalid("sequence", "from 1", "应从 1 起")
        plain = plain_figure(dict(figures))
        if not isinstance(plain.get("rows"), list):
            invalid("figures", "the rows of an annex table", "应为报表各行的数据")
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            annex=annex,
            unit=unit,
            as_of=as_of,
            sequence=sequence,
            supersedes=supersedes,
            known_at=known_at,
            figures=plain,
            sha256=figures_sha256(plain),
            note=(note or "").strip(),
            signature=signature,
            reviewer=(reviewer or "").strip(),
            contact_phone=(contact_phone or "").strip(),
        )

    @property
    def intact(self) -> bool:
        """The stored figures still hash to the stored SHA-256."""
        return figures_sha256(self.figures) == self.sha256
