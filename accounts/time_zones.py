"""The time zones a person may choose: IANA names, shown on pages in the viewer's zone (SPEC §11).

Only "UTC" and the canonical region names ("Europe/Berlin", "America/Sao_Paulo") are offered: the
legacy aliases the tz database also carries ("US/Eastern", "Etc/GMT+5", "Japan") name the same clocks
and would only make the list longer and the choice harder.
"""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIME_ZONE = "UTC"
REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@cache
def time_zone_names() -> tuple[str, ...]:
    """UTC first, then every canonical region/city name of the system's tz database, sorted."""
    names = sorted(name for name in available_timezones() if name.partition("/")[0] in REGIONS)
    return (DEFAULT_TIME_ZONE, *names)


def time_zone_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a select: "Europe/Berlin" shows as "Europe / Berlin"."""
    return [(name, name.replace("/", " / ").replace("_", " ")) for name in time_zone_names()]


def is_time_zone(name: str) -> bool:
    return name in frozenset(time_zone_names())


def zone_of(name: str | None) -> ZoneInfo:
    """The ZoneInfo of a stored name; UTC for an empty or unknown one, never an error."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)
