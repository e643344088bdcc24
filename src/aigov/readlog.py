"""Record which files a notebook reads, so the build knows what to re-run.

The build sets ``AIGOV_READ_LOG`` to a file path before executing a notebook;
every loader calls :func:`record` with the file it read and its SHA-256.
Loaders that keep their result in memory use :func:`cached`, which records the
files again on every call: a kernel that runs several notebooks in turn logs, for
each notebook, the files its result came from, even when the result was loaded
for an earlier one.
"""
import functools
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

ENV = "AIGOV_READ_LOG"
_capturing: list[dict[str, str]] = []  # open captures (innermost last) of the calls in progress


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record(path: Path, sha256: str) -> None:
    path = str(Path(path).resolve())
    for reads in _capturing:
        reads[path] = sha256
    log = os.environ.get(ENV)
    if not log:
        return
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"path": path, "sha256": sha256}) + "\n")


@contextmanager
def capture():
    """Collect (path -> SHA-256) every file recorded inside the block, as well as logging it."""
    reads: dict[str, str] = {}
    _capturing.append(reads)
    try:
        yield reads
    finally:
        _capturing.remove(reads)


def cached(func):
    """Like :func:`functools.cache`, and each call records the files the first call read."""
    results: dict = {}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key not in results:
            with capture() as reads:
                value = func(*args, **kwargs)
            results[key] = (value, reads)
            return value
        value, reads = results[key]
        for path, sha in reads.items():
            record(path, sha)
        return value

    wrapper.cache_clear = results.clear
    return wrapper


def read(log: Path) -> dict[str, str]:
    """Path -> SHA-256 of every file recorded in ``log``."""
    if not Path(log).exists():
        return {}
    lines = Path(log).read_text(encoding="utf-8").splitlines()
    return {e["path"]: e["sha256"] for e in map(json.loads, lines)}
