"""The filters of a list refuse what the reference data does not know (domain/list_filters.py, issue 15)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.list_filters import check_choice, check_period, check_reference_filters, check_unit
from domain.reference_data import load_reference

REFERENCE = load_reference()
KNOWN = sorted(REFERENCE.units)


@given(st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=12)))
def test_a_unit_filter_is_refused_exactly_when_no_unit_has_that_id(unit: str) -> None:
    if unit in REFERENCE.units:
        check_unit(REFERENCE, unit)
    else:
        with pytest.raises(DomainError) as refused:
            check_unit(REFERENCE, unit)
        assert refused.value.code == "unknown_unit" and unit in refused.value.message_zh


@given(st.dates(), st.dates())
def test_a_period_is_refused_exactly_when_it_ends_before_it_starts(first: date, last: date) -> None:
    if first <= last:
        check_period(first, last)
    else:
        with pytest.raises(DomainError) as refused:
            check_period(first, last)
        assert (refused.value.code, refused.value.details["field"]) == ("invalid_value", "from")


@pytest.mark.parametrize(
    ("filters", "code"),
    [({"sector": "mars"}, "unknown_sector"), ({"jurisdiction": "yjj"}, "unknown_jurisdiction"), ({"unit": "x"}, "unknown_unit")],
)
def test_reference_filters_name_what_is_unknown(filters: dict[str, str], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_reference_filters(REFERENCE, **filters)
    assert refused.value.code == code


def test_a_choice_names_the_allowed_values() -> None:
    check_choice("sort", "-name", ["name", "-name"])
    with pytest.raises(DomainError) as refused:
        check_choice("sort", "age", ["name", "-name"])
    assert refused.value.details["field"] == "sort" and "name, -name" in refused.value.message_en
