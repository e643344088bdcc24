"""Build benchmark: every measurement of the build's speed and size, printed beside its target.

Run from the repository: ``make bench`` (or ``.venv/bin/python bench/run.py``). It works on a
copy of the repository in a temporary folder (nothing here is edited) and, in one run:

1. sets up a fresh environment from the lock file (pip's cache warm, as on a second set-up);
2. cold build of the whole book (the chapters and every country profile), and of the chapters
   alone (``--no-countries``); no-change rebuild; rebuild after one curated row changed (an
   event's title, a standard's), after one chapter module changed, after one book page changed
   and after one paragraph of a chapter's prose changed; a variant build for another date;
3. Jupyter Book executing the same chapter notebooks itself, serially (``execute_notebooks: force``);
4. the build's peak memory (all its processes together), the site's size and its largest page;
5. the country-profile sweep (``aigov sweep``) of every latest profile on a local Dask cluster
   of one worker and of two: time, profiles per second, the share of the workers' time spent
   starting kernels, the speed-up, and a projection for more workers.

``--skip-env`` reuses the current environment instead of step 1 (the copy is then imported
through PYTHONPATH).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "cold_vs_jb": 0.4,  # cold build at most 0.4 x Jupyter Book's own serial execution
    "row_vs_cold": 0.35,  # one curated row changed: at most 0.35 x the cold build
    "page_s": 15.0,  # one Markdown page changed: no notebook runs, under 15 s
    "nochange_s": 2.0,
    "page_mb": 2.0,
    "site_mb": 40.0,
    "sweep_s": 600.0,  # every latest country profile, on this machine's two cores
}


def copy_repo(dest: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored) copied to ``dest``."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    for name in files:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


class PeakMemory:
    """The largest total resident memory of a process and its children, sampled every 0.1 s."""

    def __init__(self, pid: int):
        self.proc, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


class Bench:
    def __init__(self, repo: Path, python: Path, env: dict):
        self.repo, self.python, self.env = repo, python, env

    def build(self, out: Path, *args: str, memory: bool = False) -> dict:
        """Run ``aigov build`` in the copy; its time, output and the notebooks it executed."""
        cmd = [str(self.python), "-c", "from aigov.cli import main; main()", "build", "--output", str(out), *args]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=self.repo, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        peak = PeakMemory(proc.pid) if memory else None
        output = proc.communicate()[0]
        seconds = time.perf_counter() - start
        if proc.returncode:
            sys.exit(f"build failed (its folder is kept: {out}):\n{output}")
        ran = re.findall(r"^\s+done\s+(\S+)\s+[\d.]+ s\s+\(", output, flags=re.M)
        profiles = re.search(r"^profiles: (\d+) to run", output, flags=re.M)
        swept = re.search(r"done\s+profiles: ran \d+, rendered \d+\s+([\d.]+) s", output)
        return {"s": seconds, "ran": [r for r in ran if r != "rendered"], "rendered": "rendering the book" in output,
                "peak": peak.stop() if peak else 0, "profiles": int(profiles.group(1)) if profiles else 0,
                "sweep_s": float(swept.group(1)) if swept else 0.0}

    def sweep(self, out: Path, workers: int) -> dict:
        """``aigov sweep`` of every latest profile on a local cluster of ``workers`` workers."""
        cmd = [str(self.python), "-c", "from aigov.cli import main; main()", "sweep", "--as-of", "latest",
               "--workers", str(workers), "--output", str(out)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=self.repo, env=self.env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode:
            sys.exit(f"sweep failed:\n{proc.stdout}{proc.stderr}")
        ran = re.search(r"^ran (\d+),", proc.stdout, flags=re.M)
        kernels = re.search(r"starting kernels ([\d.]+) s of ([\d.]+) s of work", proc.stdout)
        return {"s": seconds, "ran": int(ran.group(1)), "kernel_s": float(kernels.group(1)),
                "work_s": float(kernels.group(2))}

    def jupyter_book(self, out: Path) -> float:
        """Jupyter Book executing the templates itself (serially, one kernel each), then rendering."""
        from aigov.build import Project, _sync_static, as_ipynb, book_config, templates_in
        from aigov.countries_part import INDEX
        project = Project(notebooks=self.repo / "notebooks", book=self.repo / "book",
                          config=self.repo / "_config.yml", curated=self.repo / "data" / "curated", profiles=None)
        source = out / "source"
        _sync_static(project.book, source, None)  # the chapters, without the Countries part
        (source / "sections").mkdir(parents=True)
        for t in [t for t in templates_in(project.notebooks) if t.stem != INDEX]:
            as_ipynb(t, source / "sections" / f"{t.stem}.ipynb")
        config = yaml.safe_load(book_config(project))
        config["execute"] = {"execute_notebooks": "force", "timeout": -1}
        (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        env = {**self.env, "AIGOV_FIGURES_DIR": str(source / "figures"), "MPLBACKEND": "Agg"}
        jb = Path(self.python).parent / "jupyter-book"
        start = time.perf_counter()
        proc = subprocess.run([str(jb), "build", str(source), "--config", str(out / "_config.yml"), "--toc",
                               str(source / "_toc.yml"), "--path-output", str(out / "render")],
                              env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode:
            sys.exit("jupyter-book failed:\n" + (proc.stdout + proc.stderr)[-3000:])
        return seconds


    def row_change(self, out: Path, table: str, cold: float, chapters: float) -> tuple[str, str, str]:
        """Rename the first row's title in one curated table and rebuild: which notebooks ran and
        how long it took. Those that read the table must run; those that use it only through
        queries run if their answers changed; no other may."""
        path = self.repo / "data" / "curated" / f"{table}.csv"
        title = path.read_text(encoding="utf-8").splitlines()[1].split(",")[1]
        state = json.loads((out / "state.json").read_text(encoding="utf-8"))["notebooks"]
        mine = f"/{table}.csv"
        direct = sorted(n for n, s in state.items() if any(p.endswith(mine) for p in s["reads"]))
        uses = sorted(n for n, s in state.items() if any(p.endswith(mine) for p in s["sources"]))
        edit(path, f",{title},", f",{title} (edited),")
        run = self.build(out)
        limit = TARGETS["row_vs_cold"] * cold
        ok = set(direct) <= set(run["ran"]) <= set(uses) and run["s"] <= limit and not run["profiles"]
        return (f"one curated row changed ({table}.csv)", f"{run['s']:6.1f} s",
                f"ran {len(run['ran'])}: {', '.join(run['ran']) or 'none'} of the {len(uses)} chapters using it "
                f"({len(direct)} read it, the others query it), {run['profiles']} country profiles; target those "
                f"whose answers changed, <= {TARGETS['row_vs_cold']} x cold = {limit:.1f} s: {verdict(ok)} "
                f"({run['s'] / chapters:.2f} x the chapters' cold build)")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        sys.exit(f"bench: {path} no longer contains {old!r}; update bench/run.py")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def site_size(html: Path) -> tuple[float, float, str]:
    files = [p for p in html.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return sum(p.stat().st_size for p in files) / 1e6, largest.stat().st_size / 1e6, str(largest.relative_to(html))


def prose_row(label: str, run: dict) -> tuple[str, str, str]:
    """A rebuild after a change of prose: no notebook may run, and it must be quick."""
    return (label, f"{run['s']:6.1f} s", f"{len(run['ran'])} notebooks; target none, < {TARGETS['page_s']:g} s: "
            f"{verdict(not run['ran'] and run['s'] < TARGETS['page_s'])}")


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def measure(tmp: Path, skip_env: bool, mirror: Path | None) -> list[tuple[str, str, str]]:
    """Every measurement, as (what, value, target and verdict) rows; builds in ``tmp``."""
    from aigov.paths import MIRROR_ENV
    repo = copy_repo(tmp / "repo")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if mirror:
        env[MIRROR_ENV] = str(mirror)
    rows = []
    if skip_env:
        python = Path(sys.executable)
        env["PYTHONPATH"] = str(repo / "src")
        rows.append(("environment set-up", "skipped (--skip-env)", ""))
    else:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True)
        python = tmp / "venv" / "bin" / "python"
        for pip_args in (["-r", "requirements.lock"], ["--no-deps", "-e", "."]):
            pip = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *pip_args], cwd=repo,
                                 capture_output=True, text=True)
            if pip.returncode:
                sys.exit(f"environment set-up failed:\n{pip.stdout}{pip.stderr}")
        rows.append(("environment set-up (warm package cache)", f"{time.perf_counter() - start:6.1f} s", ""))
    bench = Bench(repo, python, env)
    out = tmp / "build"

    cold = bench.build(out, memory=True)
    rows.append(("cold build (the whole book)", f"{cold['s']:6.1f} s",
                 f"{len(cold['ran'])} notebooks, {cold['profiles']} country profiles (swept in {cold['sweep_s']:.1f} s)"))
    chapters = bench.build(tmp / "chapters", "--no-countries")
    rows.append(("cold build of the chapters alone (--no-countries)", f"{chapters['s']:6.1f} s",
                 f"{len(chapters['ran'])} notebooks"))
    same = bench.build(out)
    rows.append(("no-change rebuild", f"{same['s']:6.1f} s",
                 f"{len(same['ran'])} notebooks; target < {TARGETS['nochange_s']:g} s: "
                 f"{verdict(same['s'] < TARGETS['nochange_s'] and not same['ran'])}"))

    for table in ("events", "standards"):  # a table most chapters use, and one that few do
        rows.append(bench.row_change(out, table, cold["s"], chapters["s"]))

    module = repo / "src" / "aigov" / "chapters" / "standards.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    mod = bench.build(out)
    rows.append(("one chapter module changed (chapters/standards.py)", f"{mod['s']:6.1f} s",
                 f"ran {', '.join(mod['ran']) or 'none'}; target 04_standards only: "
                 f"{verdict(mod['ran'] == ['04_standards'])}"))

    page = repo / "book" / "method.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    rows.append(prose_row("one book page changed (book/method.md)", bench.build(out)))
    prose = repo / "notebooks" / "04_standards.md"
    text = prose.read_text(encoding="utf-8").splitlines(keepends=True)
    title = next(i for i, t in enumerate(text) if t.startswith("# "))
    line = next(i for i, t in enumerate(text) if i > title and t[:1].isupper())  # the first paragraph
    text[line] = text[line].rstrip("\n") + " (edited)\n"
    prose.write_text("".join(text), encoding="utf-8")
    rows.append(prose_row("one paragraph of a chapter's prose changed", bench.build(out)))

    variant = bench.build(tmp / "variant", "-p", "as_of=2020-12-31")
    rows.append(("variant build (as_of=2020-12-31, cold)", f"{variant['s']:6.1f} s",
                 f"{len(variant['ran'])} notebooks"))

    total, largest, name = site_size(out / "html")
    rows.append(("site size", f"{total:6.1f} MB", f"target < {TARGETS['site_mb']:g} MB: "
                 f"{verdict(total < TARGETS['site_mb'])}"))
    rows.append(("largest page", f"{largest:6.2f} MB", f"{name}; target <= {TARGETS['page_mb']:g} MB: "
                 f"{verdict(largest <= TARGETS['page_mb'])}"))
    rows.append(("peak memory of the cold build", f"{cold['peak'] / 2**30:6.2f} GiB", "all its processes"))

    jb = bench.jupyter_book(tmp / "jb")
    ratio = chapters["s"] / jb
    rows.append(("Jupyter Book executing the chapters itself", f"{jb:6.1f} s", "serial, execute_notebooks: force"))
    rows.append(("chapters' cold build / Jupyter Book", f"{ratio:6.2f}", f"target <= {TARGETS['cold_vs_jb']}: "
                 f"{verdict(ratio <= TARGETS['cold_vs_jb'])}"))
    rows += sweep_rows(bench, tmp)

    return rows


def sweep_rows(bench: Bench, tmp: Path) -> list[tuple[str, str, str]]:
    """Every latest country profile swept on one worker, then on two (cold, each in a folder of
    its own); the speed-up, and the time projected for N workers by T(N) = a + b / N fitted to
    the two runs (a: what does not shrink with workers: starting the cluster and the client's
    preparation; b: the profiles' work)."""
    one, two = bench.sweep(tmp / "sweep-1", 1), bench.sweep(tmp / "sweep-2", 2)
    b = 2 * (one["s"] - two["s"])
    a = one["s"] - b
    rows = [("sweep of every latest profile, 2 workers", f"{two['s']:6.1f} s",
             f"{two['ran']} profiles, {two['ran'] / two['s']:.1f} per second; target < {TARGETS['sweep_s']:g} s: "
             f"{verdict(two['s'] < TARGETS['sweep_s'])}"),
            ("  starting kernels, share of the workers' time", f"{100 * two['kernel_s'] / two['work_s']:5.1f} %",
             f"{two['kernel_s']:.1f} s of {two['work_s']:.1f} s"),
            ("  the same on 1 worker", f"{one['s']:6.1f} s", f"{one['ran'] / one['s']:.1f} profiles per second"),
            ("  speed-up from 1 to 2 workers", f"{one['s'] / two['s']:6.2f}", "2.00 would be linear")]
    for n in (4, 8, 16, 32):
        rows.append((f"  projected for {n} workers", f"{a + b / n:6.1f} s", f"T(N) = {a:.1f} + {b:.1f} / N"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-env", action="store_true", help="use the current environment (no set-up timing)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from aigov.sources import mirror_dir
    mirror = mirror_dir()
    tmp = Path(tempfile.mkdtemp(prefix="aigov-bench-"))  # removed at the end, kept if a build fails
    rows = measure(tmp, args.skip_env, mirror)
    shutil.rmtree(tmp)
    print(f"\nmachine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d')}")
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
