"""data: the portal tables and the data package, made in parts per plan."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from generator.outputs import downloads

_VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.sampled_from(["12", "1.5", "-3", "1.2.3", "abc", "đồng", "1e5", " 7"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
)


@given(st.lists(st.lists(_VALUES, max_size=6), max_size=6))
def test_a_column_type_from_each_plan_is_the_type_of_all_its_values(plans):
    """The data package's field types are combined from each plan's evidence (kept between builds)
    and must be what the values of every plan together give."""
    everything = [v for values in plans for v in values]
    assert downloads._type_of(
        downloads._combined([downloads._evidence(values) for values in plans])
    ) == downloads._field_type(everything)


def test_field_types():
    assert downloads._field_type([1, None, 2]) == "integer"
    assert downloads._field_type([1, "1.5", ""]) == "number"
    assert downloads._field_type([True, 1]) == "string"
    assert downloads._field_type([None, ""]) == "string"
    assert downloads._field_type([Decimal(1), "x"]) == "string"
