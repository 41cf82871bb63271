"""How recovery figures read (``recovery/words.py``), the same in the designer, ``simulate``
and the deliverables."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hvdesigner.recovery.words import amount, data_loss_bound, duration, listed

_UNITS = {"s": 1, "min": 60, "h": 3600}


def test_durations_read_as_people_say_them() -> None:
    assert [duration(s) for s in (0, 30, 59, 60, 90, 600, 2400, 3599, 3600, 5400, 7200, 10000,
                                  86400)] == [
        "0 s", "30 s", "59 s", "1 min", "1 min 30 s", "10 min", "40 min", "59 min 59 s", "1 h",
        "1 h 30 min", "2 h", "2 h 47 min", "24 h"]


def test_a_data_loss_bound_is_at_most_its_duration() -> None:
    assert [data_loss_bound(s) for s in (60, 3600, 10000)] == ["≤ 1 min", "≤ 1 h", "≤ 2 h 47 min"]
    assert data_loss_bound(None) == "unknown"


@given(st.integers(min_value=0, max_value=10**7))
def test_a_duration_never_says_less_than_it_is_and_at_most_a_minute_more(seconds: int) -> None:
    words = duration(seconds).split()
    said = sum(int(n) * _UNITS[unit] for n, unit in zip(words[::2], words[1::2], strict=True))
    assert seconds <= said < seconds + 60 and len(words) <= 4


def test_amounts_and_lists_of_names() -> None:
    assert [amount(v) for v in (48, 0.5, 1536, 36.5, 3.3000000001)] == [
        "48", "0.5", "1,536", "36.5", "3.3"]
    assert [listed(n) for n in ([], ["HQ"], ["HQ", "DR"], ["HQ", "DR", "Cloud"])] == [
        "", "HQ", "HQ and DR", "HQ, DR and Cloud"]
