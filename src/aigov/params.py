"""Validation of the notebooks' papermill parameters."""
import datetime as dt
import re

import pandas as pd

from . import countries
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


def focus(value: str | list[str] | None) -> list[str]:
    """``focus`` as a list of upper-case codes; accepts 'KEN,NGA' or ['KEN', 'NGA']."""
    if value in (None, ""):
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
    from .curated import data_as_of
    return (as_of_date if as_of_date is not None else data_as_of()).strftime("%-d %B %Y")
