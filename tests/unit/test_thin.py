"""History thinning with a fake clock: all of the last hour, then hourly, daily, weekly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.storage.history import thin

NOW = datetime(2026, 11, 29, 15, 40, tzinfo=UTC)


def test_every_version_of_the_last_hour_is_kept():
    stamps = [NOW - timedelta(minutes=m) for m in range(0, 60, 2)]
    assert thin(stamps, NOW) == set(stamps)


def test_the_last_day_keeps_the_newest_version_of_each_hour():
    stamps = [NOW - timedelta(minutes=m) for m in range(61, 24 * 60, 10)]
    kept = thin(stamps, NOW)
    hours = {(s.date(), s.hour) for s in stamps}
    assert len(kept) == len(hours)
    for stamp in kept:
        same_hour = [s for s in stamps if (s.date(), s.hour) == (stamp.date(), stamp.hour)]
        assert stamp == max(same_hour)


def test_the_last_30_days_keep_one_version_a_day_and_older_ones_one_a_week():
    stamps = [NOW - timedelta(hours=h) for h in range(25, 24 * 120, 5)]
    kept = thin(stamps, NOW)
    daily = [s for s in kept if NOW - s < timedelta(days=30)]
    weekly = [s for s in kept if NOW - s >= timedelta(days=30)]
    assert len({s.date() for s in daily}) == len(daily) and 28 <= len(daily) <= 30
    assert len({s.isocalendar()[:2] for s in weekly}) == len(weekly) and 12 <= len(weekly) <= 14


def test_the_newest_version_is_never_dropped_however_old():
    old = [NOW - timedelta(days=400, minutes=m) for m in range(5)]
    assert max(old) in thin(old, NOW)
    assert thin([], NOW) == set()


stamps = st.lists(
    st.integers(0, 60 * 24 * 90).map(lambda m: NOW - timedelta(minutes=m)), max_size=60
)


@settings(max_examples=150, deadline=None)
@given(stamps, st.integers(0, 60 * 24 * 60))
def test_thinning_is_stable_and_never_drops_what_a_later_run_would_keep(stamps, later_minutes):
    kept = thin(stamps, NOW)
    assert thin(kept, NOW) == kept
    if stamps:
        assert max(stamps) in kept
    later = NOW + timedelta(minutes=later_minutes)
    assert thin(stamps, later) <= kept
    assert thin(kept, later) == thin(stamps, later)
