"""The build's notebook workers: processes that each start a kernel at once and then execute
notebooks in it, one after another (:func:`kernels.worker`). The build starts them before
anything else, so that the kernels start and import the report's libraries while the build
validates the data and decides what to run.
"""
import multiprocessing
import os
from pathlib import Path
from queue import Empty

from .errors import BuildError
from .kernels import SOURCE_DATE_EPOCH, Job, Result, parameterized, with_reads, worker
from .paths import CURATED_ENV, STORE_ENV

def start(curated: Path, out: Path, workers: int) -> "Pool":
    """The notebook workers of a build from the tables in ``curated`` into ``out``; each kernel
    starts with these settings (a notebook's own are set before it runs)."""
    env = {CURATED_ENV: str(curated), STORE_ENV: str(out / "store"), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
           "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    return Pool(workers, env, out / "tmp" / "kernels")


class Pool:
    """``workers`` processes, each with one kernel, started at once so that the kernels start and
    import the libraries while the build validates the data and decides what to run. Kernel
    output goes to ``logs/kernel-<i>.log``. Use as a context manager: leaving it stops them."""

    def __init__(self, workers: int, env: dict, logs: Path):
        ctx = multiprocessing.get_context("fork")
        self.queue, self.events, self.logs = ctx.Queue(), ctx.Queue(), logs
        logs.mkdir(parents=True, exist_ok=True)
        kernel_env = {**os.environ, **env}
        self.procs = [ctx.Process(target=worker, args=(self.queue, self.events, kernel_env, logs / f"kernel-{i}.log",
                                                        logs / f"ipc-{i}"))
                      for i in range(max(1, workers))]
        for p in self.procs:
            p.start()
        self.closed = False

    def execute(self, jobs: list[Job], on_event=lambda kind, value: None) -> list[Result]:
        """Execute ``jobs`` (in the given order, longest first is best); ``on_event`` sees each
        start and each result as it happens."""
        for job in jobs:
            self.queue.put((job, parameterized(job)))
        named = {job.name: job for job in jobs}
        results = []
        while len(results) < len(jobs):
            try:
                kind, value = self.events.get(timeout=1)
            except Empty:
                if not any(p.is_alive() for p in self.procs):
                    raise BuildError(f"the notebook workers stopped unexpectedly; see {self.logs}") from None
                continue
            if kind == "done":
                value = with_reads(value, named[value.name])
                results.append(value)
            on_event(kind, value)
        return results

    def close(self) -> None:
        """Let the workers stop their kernels and end (without waiting for them)."""
        if not self.closed:
            for _ in self.procs:
                self.queue.put(None)
            self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc):
        self.close()
        for p in self.procs:
            if kind is not None:  # the build failed: no need to wait (a kernel exits with its worker)
                p.kill()
            p.join(timeout=30)
