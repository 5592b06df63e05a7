"""The forms' labels are exactly those of the reference forms (no retyping errors).

The reference is copied into tests/fixtures/reference/ from the design's shared/reference/annex*.md: the tests
use only what is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

from domain.annex_forms import ANNEX1, ANNEX2, ANNEX3
from domain.glossary import SpotCheckDeficiency

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference"


def _rows(name: str) -> list[list[str]]:
    text = (REFERENCE / name).read_text("utf-8")
    return [
        [c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines() if re.match(r"^\| \d+ \|", line)
    ]


def test_annex1_items_match_the_reference_in_order() -> None:
    reference = [(int(r[0]), r[1]) for r in _rows("annex1.md") if r[0].isdigit()]
    ours = [(item.number, item.label) for section in ANNEX1 for item in section.items]
    assert ours == reference


def test_annex1_section_titles_match() -> None:
    text = (REFERENCE / "annex1.md").read_text("utf-8")
    titles = re.findall(r"^## (\S+) \(", text, flags=re.M)
    assert [s.title for s in ANNEX1] == titles


def test_annex2_columns_match_the_reference_in_order() -> None:
    reference = [(int(r[0]), r[1], r[2], r[3]) for r in _rows("annex2.md") if r[0].isdigit()]
    ours = [(c.number, c.group or "—", c.label, c.unit) for c in ANNEX2]
    assert ours == reference


def test_annex3_columns_match_the_reference_in_order() -> None:
    text = (REFERENCE / "annex3.md").read_text("utf-8")
    table = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table[1:]]
    lists, current = [], ""
    for r in rows:
        current = r[0] or current
        lists.append((current, r[1]))
    assert [(c.list_title, c.label) for c in ANNEX3] == lists


def test_spot_check_items_are_the_deficiency_vocabulary_in_order() -> None:
    spot = next(s for s in ANNEX1 if s.key == "spot_checks")
    assert [i.key for i in spot.items[1:]] == [d.value for d in SpotCheckDeficiency]
    assert [i.label for i in spot.items[1:]] == [d.zh for d in SpotCheckDeficiency]
