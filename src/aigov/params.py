"""The chapters' papermill parameters: one parser per parameter, used by every chapter.

Each parser takes the value as a notebook's parameters cell holds it (a string) and returns
it ready to use, or raises :class:`ParameterError` naming the parameter and the value.
"""
import datetime as dt
import re

import pandas as pd

from . import countries, governance
from .curated import data_as_of
from .errors import ParameterError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_of(value: str | None) -> pd.Timestamp | None:
    """``as_of`` as a timestamp; None or '' means 'no cut-off' (all data)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise ParameterError(f"parameter as_of: {value!r} is not a date in the form YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ParameterError(f"parameter as_of: {value!r} is not a valid date ({exc})") from None
    if date > dt.date.today():
        raise ParameterError(f"parameter as_of: {value!r} is in the future")
    return pd.Timestamp(date)


# The book's focus countries: highlighted in every chart that shows countries, unless a build
# sets ``focus`` (-p focus=KEN,NGA; -p focus=none for no highlight).
FOCUS = ["USA", "CHN", "GBR", "IND", "BRA", "KEN"]


def focus(value: str | list[str] | None) -> list[str]:
    """``focus`` as a list of upper-case codes; accepts 'KEN,NGA' or ['KEN', 'NGA']; '' means
    the book's :data:`FOCUS`, 'none' no focus country."""
    if value in (None, ""):
        return list(FOCUS)
    if isinstance(value, str) and value.strip().lower() == "none":
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    codes = [str(c).strip().upper() for c in items if str(c).strip()]
    bad = [c for c in codes if not countries.is_valid(c)]
    if bad:
        raise ParameterError(
            f"parameter focus: {', '.join(bad)} in {value!r} is not an ISO 3166-1 alpha-3 code "
            f"(or one of {', '.join(countries.NON_STATE)})"
        )
    return codes


def label(as_of_date: pd.Timestamp | None) -> str:
    """How a date parameter reads in prose: without one, the date the data were last verified."""
    return (as_of_date if as_of_date is not None else data_as_of()).strftime("%-d %B %Y")


def forums(value: str | list[str] | None) -> list[str]:
    """``forums``: '' means :func:`governance.default_forums`; else comma-separated forum ids."""
    if value in (None, ""):
        return governance.default_forums()
    items = value.split(",") if isinstance(value, str) else list(value)
    ids = [str(i).strip().lower() for i in items if str(i).strip()]
    known = list(governance.table("forums")["forum_id"])
    bad = [i for i in ids if i not in known]
    if bad or not ids:
        raise ParameterError(f"parameter forums: {', '.join(bad) or 'nothing'} in {value!r} is not a "
                             f"forum_id of forums.csv ({', '.join(known)})")
    return list(dict.fromkeys(ids))


def country(value: str | None) -> str:
    """``country``: the ISO 3166-1 alpha-3 code of a state with a recorded membership."""
    code = str(value or "").strip().upper()
    known = governance.recorded_states()
    if code not in known:
        raise ParameterError(f"parameter country: {value!r} is not the code of a state with a recorded "
                             f"membership ({len(known)} are: {', '.join(known[:4])}, ...)")
    return code


def region(value: str | None) -> str | None:
    """``region``: '' means every country; else a region name or its key (case-insensitive)."""
    if value in (None, ""):
        return None
    wanted = str(value).strip().lower()
    for key, (name, _) in countries.REGIONS.items():
        if wanted in (key, name.lower()):
            return name
    raise ParameterError(f"parameter region: {value!r} is not one of: "
                         + ", ".join(f"{name!r} ({key})" for key, (name, _) in countries.REGIONS.items()))
