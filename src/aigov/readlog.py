"""Record what a notebook reads, so the build knows what to re-run.

The build sets ``AIGOV_READ_LOG`` to a file path before executing a notebook. Two kinds of
entry go in it:

- a file: every loader calls :func:`record` with the file it read and its SHA-256;
- a query (:func:`query`): a function of the curated tables (or the chapters' templates) whose
  result, not the files, is what the notebook uses. Its entry holds its name, its arguments and a digest of its
  result; the build calls it again (:func:`answer`) and re-runs the notebook only if the digest
  changed. So a chapter that reads the UN's events through a query does not re-run when another
  event is edited. What a query reads is not recorded as the notebook's own reads.

Loaders that keep their result in memory use :func:`cached`, which records the entries again on
every call: a kernel that runs several notebooks in turn logs, for each notebook, what its
result came from, even when the result was loaded for an earlier one.
"""
import base64
import functools
import hashlib
import importlib
import inspect
import json
import os
import pickle
import sys
from contextlib import contextmanager
from pathlib import Path

ENV = "AIGOV_READ_LOG"
_capturing: list[tuple[dict[str, dict], int | None]] = []  # open captures, innermost last (see capture)
_in_query = 0  # > 0 while a query runs: what it reads is covered by its result
_caches: list = []  # every cached() function, for clear_caches()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _emit(key: str, entry: dict) -> None:
    """Give ``entry`` to the open captures and, outside a query, to the log."""
    for entries, depth in _capturing:
        if depth is None or depth == _in_query:
            entries[key] = entry
    log = os.environ.get(ENV)
    if log and not _in_query:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")


def record(path: Path, sha256: str) -> None:
    path = str(Path(path).resolve())
    _emit(path, {"path": path, "sha256": sha256})


@contextmanager
def capture(inside_queries: bool = False):
    """Collect the entries (files and queries) recorded inside the block, as well as logging them:
    those the block itself records, not those of the queries it calls (they are covered by the
    queries' entries), unless ``inside_queries``."""
    entries: dict[str, dict] = {}
    _capturing.append((entries, None if inside_queries else _in_query))
    try:
        yield entries
    finally:
        _capturing.pop()  # captures nest: this one is the innermost


def files(entries: dict[str, dict]) -> dict[str, str]:
    """Path -> SHA-256 of the files among captured ``entries``."""
    return {e["path"]: e["sha256"] for e in entries.values() if "path" in e}


def cached(func):
    """Like :func:`functools.cache`, and each call records what the first call read."""
    results: dict = {}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key not in results:
            with capture() as entries:
                value = func(*args, **kwargs)
            results[key] = (value, entries)
            return value
        value, entries = results[key]
        for k, entry in entries.items():
            _emit(k, entry)
        return value

    wrapper.cache_clear = results.clear
    _caches.append(wrapper)
    return wrapper


def clear_caches() -> None:
    """Forget every :func:`cached` result (the build answers queries on the files as they are now)."""
    for c in _caches:
        c.cache_clear()


def digest(value) -> str:
    """SHA-256 of a value's content: a table by its columns, types, index and cells; anything else
    by its pickle."""
    h = hashlib.sha256()
    pd = sys.modules.get("pandas")  # a table exists only if pandas is loaded (the build's workers do not load it)
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        columns = list(value.columns) if isinstance(value, pd.DataFrame) else [value.name]
        dtypes = value.dtypes.astype(str).tolist() if isinstance(value, pd.DataFrame) else [str(value.dtype)]
        h.update(repr((type(value).__name__, value.shape, columns, dtypes, value.index.names)).encode())
        try:
            h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
            return h.hexdigest()
        except TypeError:  # cells that do not hash (lists): by the pickle
            pass
    h.update(pickle.dumps(value, protocol=5))
    return h.hexdigest()


def query(func):
    """Mark ``func`` as a query: a notebook depends on its result, not on the files it reads. Its
    arguments must pickle, and it must read only files the build reads too (the curated tables,
    the chapters' templates): the build answers it again in its own process (:func:`answer`)."""
    signature = inspect.signature(func)
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in signature.parameters.values()):
        raise TypeError(f"query {func.__qualname__}: named parameters only")
    name = f"{func.__module__}:{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        global _in_query
        _in_query += 1
        try:
            with capture(inside_queries=True) as entries:
                value = func(*args, **kwargs)
        finally:
            _in_query -= 1
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()  # the defaults as this process resolved them (the curated folder)
        call = name + " " + base64.b64encode(pickle.dumps(dict(bound.arguments), protocol=5)).decode()
        _emit(call, {"query": call, "digest": digest(value), "files": files(entries)})
        return value

    return wrapper


def answer(call: str) -> str | None:
    """The digest of a logged query's result now; None if it can no longer be called."""
    name, args = call.split(" ", 1)
    module, qualname = name.split(":")
    try:
        func = importlib.import_module(module)
        for part in qualname.split("."):
            func = getattr(func, part)
        return digest(func(**pickle.loads(base64.b64decode(args))))
    except Exception:  # noqa: BLE001 - gone, renamed or failing: the notebook must run to tell
        return None


def _entries(log: Path) -> list[dict]:
    if not Path(log).exists():
        return []
    return [json.loads(line) for line in Path(log).read_text(encoding="utf-8").splitlines()]


def read(log: Path) -> dict[str, str]:
    """Path -> SHA-256 of every file recorded in ``log`` (not those read inside queries)."""
    return {e["path"]: e["sha256"] for e in _entries(log) if "path" in e}


def queries(log: Path) -> dict[str, str]:
    """Each query call recorded in ``log`` -> the digest of its result."""
    return {e["query"]: e["digest"] for e in _entries(log) if "query" in e}


def query_files(log: Path) -> dict[str, dict[str, str]]:
    """Each query call recorded in ``log`` -> the files it read, with their SHA-256."""
    return {e["query"]: e.get("files", {}) for e in _entries(log) if "query" in e}


def sources(log: Path) -> list[str]:
    """Every file the notebook's results came from: those it read, and those its queries read."""
    found = set()
    for e in _entries(log):
        found |= {e["path"]} if "path" in e else set(e.get("files", {}))
    return sorted(found)
