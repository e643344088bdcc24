"""Plain-csv readings of the curated tables, written without the package's own code, so that
tests can check the package's answers against an independent computation."""
import calendar
import csv
import datetime as dt

from aigov.paths import CURATED

ACTIVE = ("member", "participating", "adherent", "signatory", "ratified")


def rows(table: str) -> list[dict]:
    with open(CURATED / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def last_day(date: str) -> str:
    """'2021-11' -> '2021-11-30', '2021' -> '2021-12-31': when a partial date is certainly past."""
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        y, m = map(int, date.split("-"))
        return f"{date}-{calendar.monthrange(y, m)[1]:02d}"
    return date


def first_day(date: str) -> str:
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)


def members_on(forum: str, day: str, roles=ACTIVE) -> set[str]:
    """Members on ``day`` (ISO string): joined by then (end of its period), not yet left."""
    return {r["member"] for r in rows("memberships")
            if r["forum_id"] == forum and r["role"] in roles and r["joined"]
            and last_day(r["joined"]) <= day and (not r["left"] or first_day(r["left"]) > day)}


def last_date(value: str) -> dt.date:
    return dt.date.fromisoformat(last_day(value))


def first_date(value: str) -> dt.date:
    return dt.date.fromisoformat(first_day(value))


def recorded_on(forum: str, day: str, roles=ACTIVE) -> set[str]:
    """Members on ``day`` counting undated rows as present (a list read without dates)."""
    return {r["member"] for r in rows("memberships")
            if r["forum_id"] == forum and r["role"] in roles
            and (not r["joined"] or last_day(r["joined"]) <= day) and (not r["left"] or first_day(r["left"]) > day)}


def seats(day, forums):
    """{member: set of forums} in force on ``day`` (a date or an ISO string; None: every current
    row, dated or not)."""
    day = day.isoformat() if isinstance(day, dt.date) else day
    out = {}
    for r in rows("memberships"):
        if r["forum_id"] not in forums or r["role"] not in ACTIVE:
            continue
        if day is None:
            ok = not r["left"]
        else:
            ok = bool(r["joined"]) and last_day(r["joined"]) <= day and (not r["left"] or first_day(r["left"]) > day)
        if ok:
            out.setdefault(r["member"], set()).add(r["forum_id"])
    return out
