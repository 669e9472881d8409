"""RFC 5545 recurrence rules: parsing, validation and expansion in local time.

A rule is expanded on naive wall-clock times in the program's own zone and
only then given that zone, so that a 09:00 meeting stays at 09:00 local across
daylight-saving changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError

# A program is a routine people live by: anything more frequent than daily is
# almost certainly a typo (FREQ=HOURLY for FREQ=DAILY) and would flood calendars.
SUB_DAILY_FREQUENCIES = {"HOURLY", "MINUTELY", "SECONDLY"}

_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def normalise_rrule(text: str) -> str:
    """Upper-case, strip an ``RRULE:`` prefix, spaces and stray semicolons."""
    rule = (text or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    parts = [part.strip().upper() for part in rule.replace(" ", "").split(";") if part.strip()]
    return ";".join(parts)


def _parts(rule: str) -> dict[str, str]:
    parts = {}
    for part in rule.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not name or not value:
            raise ValidationError(
                "Each part of the rule must look like NAME=VALUE, separated by semicolons "
                "(for example FREQ=WEEKLY;BYDAY=MO)."
            )
        if name in parts:
            raise ValidationError(f"{name} appears twice in the rule.")
        parts[name] = value
    return parts


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SLOT = re.compile(r"([a-z]+)\.?\s+(?:at\s+)?(\d{1,2})[:.h](\d{2})", re.IGNORECASE)


def parse_slots(text: str) -> list[tuple[int, time]]:
    """Weekly meeting slots, one a line ("Tuesday 10:00", "thu 14:30"), as (weekday,
    time) pairs in week order; raise ValidationError naming the line that is wrong."""
    slots = set()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _SLOT.fullmatch(line.strip())
        day = match and match.group(1).lower()
        weekday = next(
            (
                n
                for n, name in enumerate(_WEEKDAYS)
                if day and len(day) >= 2 and name.startswith(day)
            ),
            None,
        )
        hour, minute = (int(match.group(2)), int(match.group(3))) if match else (99, 99)
        if weekday is None or hour > 23 or minute > 59:
            raise ValidationError(
                f"“{line.strip()[:40]}” is not a slot: write a weekday and a time, one a line, "
                "for example “Tuesday 10:00”."
            )
        slots.add((weekday, time(hour, minute)))
    return sorted(slots)


def frequency(rule: str) -> str | None:
    """The FREQ of a rule ("WEEKLY"), or None for a one-off or a rule without one."""
    for part in normalise_rrule(rule).split(";"):
        name, _, value = part.partition("=")
        if name == "FREQ":
            return value
    return None


def build_rrule(rule: str, *, dtstart: datetime, tz: ZoneInfo) -> rrule:
    """Return a dateutil rule for ``rule`` starting at the naive local ``dtstart``.

    A UTC ``UNTIL`` (the RFC 5545 form when the start has a zone) is turned into
    local wall-clock time first, because expansion runs on naive local times.
    """

    def _to_local(match: re.Match) -> str:
        utc = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo("UTC"))
        local = utc.astimezone(tz).replace(tzinfo=None)
        return "UNTIL=" + local.strftime("%Y%m%dT%H%M%S")

    return rrulestr("RRULE:" + _UNTIL_UTC.sub(_to_local, rule), dtstart=dtstart)


def validate_rrule(
    text: str, *, dtstart: datetime | None = None, tz: ZoneInfo | None = None
) -> str:
    """Return the normalised rule, or raise ValidationError saying what is wrong."""
    rule = normalise_rrule(text)
    if not rule:
        raise ValidationError("Enter a recurrence rule, for example FREQ=WEEKLY;BYDAY=MO.")
    if "DTSTART" in rule or "\n" in rule:
        raise ValidationError(
            "Give only the RRULE part; the start date and time have their own fields."
        )
    parts = _parts(rule)
    freq = parts.get("FREQ")
    if freq is None:
        raise ValidationError("The rule needs a FREQ, for example FREQ=WEEKLY.")
    if freq in SUB_DAILY_FREQUENCIES:
        raise ValidationError(
            "Programs repeat at most once a day: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."
        )
    fixed_time = {"BYHOUR", "BYMINUTE", "BYSECOND"} & set(parts)
    if fixed_time:
        raise ValidationError(
            f"Leave out {', '.join(sorted(fixed_time))}: the start time field sets the time "
            "of day, and programs repeat at most once a day."
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError("Use COUNT or UNTIL, not both (RFC 5545).")
    for name in ("INTERVAL", "COUNT"):
        if name in parts and (not parts[name].isdigit() or int(parts[name]) < 1):
            raise ValidationError(f"{name} must be a whole number of 1 or more.")
    zone = tz or ZoneInfo("UTC")
    start = dtstart or datetime.combine(date.today(), time(9, 0))
    try:
        parsed = build_rrule(rule, dtstart=start, tz=zone)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise ValidationError(f"This is not a valid RFC 5545 recurrence rule: {error}.") from None
    if dtstart is not None and _first_within(parsed, dtstart) is None:
        raise ValidationError(
            "This rule never occurs within ten years of the start date; "
            "check UNTIL, COUNT and the BY parts."
        )
    return rule


# A rule whose first occurrence is further away than this is a mistake, and
# searching to the end of the calendar for one can take seconds.
FIRST_OCCURRENCE_WITHIN = timedelta(days=366 * 10)


def _first_within(parsed: rrule, dtstart: datetime) -> datetime | None:
    bounded = (
        parsed
        if parsed._count
        else parsed.replace(
            until=min(parsed._until or datetime.max, dtstart + FIRST_OCCURRENCE_WITHIN)
        )
    )
    return next(iter(bounded), None)


def validate_time_zone(name: str) -> ZoneInfo:
    """Return the zone for an IANA name, or raise ValidationError."""
    name = (name or "").strip()
    if name not in available_time_zones():
        raise ValidationError(
            f"“{name}” is not a known time zone. Use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC."
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{name}” is not a known time zone.") from None


_ZONES: frozenset[str] | None = None


def available_time_zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def occurrences(
    rule: str,
    *,
    starts_on: date,
    start_time: time,
    tz: ZoneInfo,
    after: datetime | None = None,
    until: date | None = None,
) -> Iterator[datetime]:
    """Yield the instants (aware, in UTC) a schedule starts, in order, after ``after``.

    The rule is expanded on wall-clock times in ``tz`` and each is read as
    RFC 5545 says (see ``resolve``). The instants are in UTC because an
    ambiguous local time compares unequal to every other zone's datetime
    (PEP 495), the database's included. An empty rule means a single
    occurrence at the start.
    """
    first = datetime.combine(starts_on, start_time)
    if not rule:
        candidates: Iterator[datetime] = iter([first])
    else:
        parsed = build_rrule(rule, dtstart=first, tz=tz)
        # xafter walks the rule once; calling after() per occurrence would restart
        # from the program's first date every time. It compares wall-clock times,
        # which a clock change can put an hour either side of the instant, so it
        # starts a day early and the instants decide.
        candidates = (
            iter(parsed)
            if after is None
            else parsed.xafter(after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1))
        )
    for naive in candidates:
        if until is not None and naive.date() > until:
            return
        instant = resolve(naive, tz)
        if after is not None and instant <= after:
            continue
        yield instant


def occurrence_at_or_before(
    rule: str,
    *,
    starts_on: date,
    start_time: time,
    tz: ZoneInfo,
    at: datetime,
    until: date | None = None,
) -> datetime | None:
    """The last instant the schedule starts at or before ``at`` (aware), if any."""
    first = datetime.combine(starts_on, start_time)
    # A wall-clock time can be an hour or so either side of its instant around a
    # clock change: look a day past ``at``, then step back to the instant.
    bound = at.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    if until is not None:
        bound = min(bound, datetime.combine(until, time.max))
    parsed = build_rrule(rule, dtstart=first, tz=tz) if rule else None
    naive = parsed.before(bound, inc=True) if parsed else (first if first <= bound else None)
    while naive is not None:
        instant = resolve(naive, tz)
        if instant <= at:
            return instant
        naive = parsed.before(naive) if parsed else None
    return None


def resolve(naive: datetime, tz: ZoneInfo) -> datetime:
    """The instant (UTC) of a wall-clock time in ``tz``, read as RFC 5545 says.

    A time that a clock change skips takes the offset from before the gap, so
    02:30 on the night clocks go forward at 02:00 is 03:30; a time that
    happens twice is its first occurrence. That is PEP 495's ``fold=0``.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    try:
        return aware.astimezone(UTC)
    except OverflowError:  # the last hours of year 9999 have no UTC instant
        return aware


def shift(instant: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """``instant`` moved by ``delta`` of wall-clock time in ``tz`` (a due date a week
    after a 09:00 opening is at 09:00 whatever the clocks did in between)."""
    return resolve(instant.astimezone(tz).replace(tzinfo=None) + delta, tz)


_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_EVERY = {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly", "YEARLY": "Yearly"}


def describe_rrule(rule: str) -> str:
    """Say a rule in plain English ("Monthly on the last Friday"); fall back to the rule."""
    if not rule:
        return "Once"
    try:
        parts = _parts(normalise_rrule(rule))
        freq = parts["FREQ"]
        interval = int(parts.get("INTERVAL", "1"))
        if interval == 1:
            text = _EVERY[freq]
        elif (freq, interval) == ("WEEKLY", 2):
            text = "Every two weeks"
        else:
            text = f"Every {interval} {_UNITS[freq]}s"
        if "BYDAY" in parts:
            text += " on " + _describe_days(parts["BYDAY"].split(","))
        if "BYMONTHDAY" in parts:
            days = [int(day) for day in parts["BYMONTHDAY"].split(",")]
            text += " on " + ", ".join("the last day" if d == -1 else f"day {d}" for d in days)
        if "COUNT" in parts:
            text += f", {parts['COUNT']} times"
        if "UNTIL" in parts:
            until = parts["UNTIL"][:8]
            text += f", until {until[:4]}-{until[4:6]}-{until[6:8]}"
        known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
        return text if set(parts) <= known else rule
    except (KeyError, ValueError, ValidationError):
        return rule


def _describe_days(days: list[str]) -> str:
    if sorted(days) == sorted(["MO", "TU", "WE", "TH", "FR"]):
        return "workdays"
    names = []
    for day in days:
        match = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", day)
        if match is None:
            raise ValueError(day)
        number, name = match.groups()
        if number:
            names.append(f"the {_ORDINALS[int(number)]} {_DAY_NAMES[name]}")
        else:
            names.append(_DAY_NAMES[name] + "s")
    return ", ".join(names)
