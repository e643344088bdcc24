"""Whether a notebook must run again: its key (its code, the package modules it imports, its
parameters, the files it read and the answers of the queries it asked), and those inputs as
they are now (:class:`Inputs`). Used by the build for the chapters and by the sweep for the
country profiles."""
import hashlib
import json
from pathlib import Path

from . import codedeps, readlog
from .readlog import sha256_file


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_key(nb, package: Path, memo: dict | None = None, known: dict | None = None) -> str:
    """What a template runs: its code cells (source and tags) and the package modules they import
    (``memo``, ``known``: see :func:`codedeps.closure`)."""
    cells = [(c.source, c.metadata.get("tags", [])) for c in nb.cells if c.cell_type == "code"]
    modules = codedeps.closure([source for source, _ in cells], package, memo, known)
    files = {str(m.relative_to(package)): sha256_file(m) for m in modules}
    return sha256_bytes(json.dumps({"cells": cells, "modules": files}, sort_keys=True).encode())


def notebook_key(code: str, parameters: dict, reads: dict[str, str], queries: dict[str, str]) -> str:
    """Input key of a notebook: its code key, parameters, the SHA-256 of each file it read and
    the digest of each query's result (``readlog``)."""
    payload = json.dumps({"code": code, "params": parameters, "reads": reads, "queries": queries}, sort_keys=True)
    return sha256_bytes(payload.encode())


class Inputs:
    """The files and queries notebooks used, as they are now; each query is answered once per build."""

    def __init__(self):
        self.answers: dict[str, str | None] = {}
        self.hashes: dict[str, str | None] = {}  # each file once per build, however many notebooks read it

    def files(self, reads: dict[str, str]) -> dict[str, str] | None:
        """Each file's SHA-256 now; None if one has gone."""
        for p in reads:
            if p not in self.hashes:
                self.hashes[p] = sha256_file(Path(p)) if Path(p).is_file() else None
        now = {p: self.hashes[p] for p in reads}
        return None if None in now.values() else now

    def queries(self, calls: dict[str, str], read: dict[str, dict[str, str]] | None = None) -> dict[str, str] | None:
        """Each query's digest now; None if one can no longer be answered. A query whose files
        (``read``: the files each call read last time, with their SHA-256) are all unchanged keeps
        its digest without being asked again: its code is part of the notebook's code key."""
        now = {}
        for call, digest in calls.items():
            if read and call in read and self.files(read[call]) == read[call]:
                now[call] = digest
                continue
            if call not in self.answers:
                if not self.answers:
                    readlog.clear_caches()  # answer on the tables as they are now, not as first loaded
                self.answers[call] = readlog.answer(call)
            now[call] = self.answers[call]
        return None if None in now.values() else now

    def fresh(self, code: str, parameters: dict, prev: dict) -> bool:
        """Whether a notebook last run with ``prev`` (its key, reads and queries) would have the same
        key now. Files are compared first: the queries are answered only if they all match."""
        reads = self.files(prev["reads"])
        if reads is None or reads != prev["reads"]:
            return False
        queries = self.queries(prev.get("queries", {}), prev.get("query_files"))
        return queries is not None and notebook_key(code, parameters, reads, queries) == prev["key"]


