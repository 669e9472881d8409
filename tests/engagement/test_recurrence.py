"""Recurrence rules: validation messages, expansion in local time, plain-English labels."""

from datetime import UTC, date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from engagement.recurrence import (
    describe_rrule,
    normalise_rrule,
    occurrence_at_or_before,
    occurrences,
    validate_rrule,
    validate_time_zone,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_rules_are_normalised():
    assert normalise_rrule(" rrule:freq=weekly; byday=mo ;") == "FREQ=WEEKLY;BYDAY=MO"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20300101", "COUNT or UNTIL, not both"),
        ("FREQ=WEEKLY;FREQ=DAILY", "FREQ appears twice"),
        ("FREQ=WEEKLY;BYDAY", "NAME=VALUE"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "only the RRULE part"),
        ("FREQ=MINUTELY", "at most once a day"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT must be"),
        ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "never occurs"),
    ],
)
def test_bad_rules_say_what_is_wrong(rule, message):
    with pytest.raises(ValidationError) as caught:
        validate_rrule(rule, dtstart=datetime(2027, 1, 4, 9), tz=BERLIN)
    assert message in caught.value.messages[0]


def test_utc_until_is_accepted_and_respected():
    rule = validate_rrule("FREQ=DAILY;UNTIL=20270106T080000Z", dtstart=datetime(2027, 1, 4, 9))
    starts = list(occurrences(rule, starts_on=date(2027, 1, 4), start_time=time(9), tz=BERLIN))
    # 09:00 Berlin is 08:00 UTC in winter, so the 6th is still included.
    assert [s.day for s in starts] == [4, 5, 6]


def test_workdays_skip_weekends_and_local_time_survives_dst_in_autumn():
    starts = list(
        islice(
            occurrences(
                "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
                starts_on=date(2027, 10, 29),
                start_time=time(7, 45),
                tz=BERLIN,
            ),
            3,
        )
    )
    local = [s.astimezone(BERLIN) for s in starts]
    assert [s.date() for s in local] == [date(2027, 10, 29), date(2027, 11, 1), date(2027, 11, 2)]
    assert {(s.hour, s.minute) for s in local} == {(7, 45)}
    assert [s.utcoffset().total_seconds() / 3600 for s in local] == [2, 1, 1]


# Clock changes in Berlin in 2027: forward 02:00 -> 03:00 on Sunday 28 March,
# back 03:00 -> 02:00 on Sunday 31 October.


def _weekly_at_0230(starts_on, **kwargs):
    return list(
        islice(
            occurrences(
                "FREQ=WEEKLY", starts_on=starts_on, start_time=time(2, 30), tz=BERLIN, **kwargs
            ),
            3,
        )
    )


def test_a_time_the_clocks_skip_takes_the_offset_before_the_gap():
    starts = _weekly_at_0230(date(2027, 3, 21))
    # RFC 5545 3.3.5: 02:30 on 28 March does not exist; read with the winter
    # offset (+01:00) it is 01:30 UTC, which is 03:30 summer time.
    assert starts[1] == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert [s.astimezone(BERLIN).strftime("%d %H:%M %z") for s in starts] == [
        "21 02:30 +0100",
        "28 03:30 +0200",
        "04 02:30 +0200",
    ]


def test_a_time_that_happens_twice_is_its_first_occurrence():
    starts = _weekly_at_0230(date(2027, 10, 24))
    assert starts[1] == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 summer time
    assert [s.astimezone(BERLIN).strftime("%d %H:%M %z") for s in starts] == [
        "24 02:30 +0200",
        "31 02:30 +0200",
        "07 02:30 +0100",
    ]


@pytest.mark.parametrize(
    ("after", "first"),
    [
        # 02:15 winter time, after the first 02:30: the next is a week later.
        (datetime(2027, 10, 31, 1, 15, tzinfo=UTC), datetime(2027, 11, 7, 1, 30, tzinfo=UTC)),
        # 03:00 summer time on 28 March is before the resolved 03:30: it still counts.
        (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
    ],
)
def test_after_compares_instants_not_wall_clock_times(after, first):
    starts_on = date(2027, 3, 21) if after.month == 3 else date(2027, 10, 24)
    assert _weekly_at_0230(starts_on, after=after)[0] == first


def test_the_occurrence_at_or_before_a_moment_is_found_across_a_clock_change():
    def latest(at):
        return occurrence_at_or_before(
            "FREQ=WEEKLY", starts_on=date(2027, 3, 21), start_time=time(2, 30), tz=BERLIN, at=at
        )

    assert latest(datetime(2027, 3, 28, 1, 29, tzinfo=UTC)) == datetime(
        2027, 3, 21, 1, 30, tzinfo=UTC
    )
    assert latest(datetime(2027, 3, 28, 1, 30, tzinfo=UTC)) == datetime(
        2027, 3, 28, 1, 30, tzinfo=UTC
    )
    assert latest(datetime(2027, 3, 21, 1, 0, tzinfo=UTC)) is None


def test_a_one_off_has_a_single_occurrence_and_until_limits():
    once = list(occurrences("", starts_on=date(2027, 5, 3), start_time=time(12), tz=BERLIN))
    assert len(once) == 1
    weekly = list(
        occurrences(
            "FREQ=WEEKLY",
            starts_on=date(2027, 5, 3),
            start_time=time(12),
            tz=BERLIN,
            until=date(2027, 5, 24),
        )
    )
    assert len(weekly) == 4


def test_time_zone_validation():
    assert validate_time_zone("Europe/Berlin") == BERLIN
    with pytest.raises(ValidationError):
        validate_time_zone("Europe/Atlantis")


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("", "Once"),
        ("FREQ=MONTHLY;BYDAY=2WE", "Monthly on the second Wednesday"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR", "Every 3 months on the last Friday"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "Daily on workdays"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day"),
        ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10", "Weekly on Mondays, Thursdays, 10 times"),
        ("FREQ=YEARLY;BYMONTH=3", "FREQ=YEARLY;BYMONTH=3"),
    ],
)
def test_rules_are_described_in_plain_english(rule, text):
    assert describe_rrule(rule) == text
