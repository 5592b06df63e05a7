"""The forms' labels are exactly those of the reference forms (no retyping errors).

The reference is copied into tests/fixtures/reference/ from the design's shared/reference/annex*.md: the tests
use only what is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

from domain.annex_forms import ANNEX1, ANNEX2, ANNEX3, SUB_ROW_PREFIX, footer
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


def test_an_item_with_two_figures_captions_each_in_the_forms_own_words() -> None:
    items = [item for section in ANNEX1 for item in section.items]
    for item in items:
        assert len(item.figure_captions) == len(item.figures), item.key
        for caption in item.figure_captions:
            assert caption in item.label or caption in item.unit, (item.key, caption)  # no retyped words
    assert [i.key for i in items if len(i.figures) == 2] == ["penalties", "typical_cases", "tipoff_reward"]
    assert next(i for i in items if i.key == "penalties").figure_captions == ("次", "万元")


def test_the_footer_and_the_sub_row_prefix_are_the_forms() -> None:
    text = (REFERENCE / "annex1.md").read_text("utf-8")
    printed = re.search(r"Footer: (.+)$", text, flags=re.M).group(1)  # type: ignore[union-attr]
    assert footer().split() == printed.split()
    assert footer("李审核", "王主任", "0871-67480000").split() == ["审核人：李审核", "填报联系人：王主任", "联系电话：0871-67480000"]
    assert [c.label for c in ANNEX2 if c.label.startswith(SUB_ROW_PREFIX)] == ["其中：挂牌督办治理", "其中：落实治本措施"]
