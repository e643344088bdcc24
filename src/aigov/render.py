"""Rendering the assembled book with Jupyter Book (execution off, warnings as errors).

Sphinx keeps its work in ``<out>/sphinx-<builder>`` between renders and re-reads only the pages
whose source changed (and re-writes those whose links or numbers moved). That folder is trusted
only after a render completed (a marker file); after a failed, interrupted or ``fresh`` render
it starts from nothing. The new site replaces ``<out>/html`` only after a render succeeded.

A build starts Jupyter Book as its notebooks start to run (:class:`Renderer`): Python, Sphinx
and the extensions load and the configuration is read while the kernels work, and Sphinx reads
the pages only once told to go.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import BuildError
from .kernels import SOURCE_DATE_EPOCH

# Jupyter Book's command line, after the package's import settings (aigov/__init__.py), with
# Sphinx holding before it reads any page until a line on its input says "go". While it waits it
# does what every render does first: it compiles the templates' lexer, and pybtex's plugins are
# looked up once (pybtex reads every installed package's metadata on each lookup, a tenth of a
# second). It loads with the garbage collector paused; what is loaded by "go" is exempt from it.
RUNNER = """
import functools, gc, sys
gc.disable()
import aigov
import pybtex.plugin
from sphinx.application import Sphinx
pybtex.plugin._load_entry_point = functools.cache(pybtex.plugin._load_entry_point)
build = Sphinx.build
def when_told(self, *args, **kwargs):
    self.builder.templates.environment.lexer
    gc.freeze()
    gc.enable()
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(0)
    return build(self, *args, **kwargs)
Sphinx.build = when_told
from jupyter_book.cli.main import main
main()
"""


def copy_site(built: Path, site: Path, dest: Path) -> None:
    """Copy the site Sphinx ``built`` to ``dest``; a file that ``site`` (the current copy) holds
    unchanged (same size and time: copies keep the time) is linked rather than copied. Neither
    copy is ever written in place, so the current site stays as it is."""
    for src in sorted(built.rglob("*")):
        rel = src.relative_to(built)
        target = dest / rel
        if src.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        old, now = site / rel, src.stat()
        if old.is_file() and (old.stat().st_size, old.stat().st_mtime_ns) == (now.st_size, now.st_mtime_ns):
            os.link(old, target)
        else:
            shutil.copy2(src, target)


class Renderer:
    """Jupyter Book rendering ``source`` into ``out/html`` with the configuration ``config_text``:
    started by :meth:`start`, holding until :meth:`finish` (or dropped by :meth:`cancel`). The
    book's configuration and table of contents must be in place when it starts."""

    def __init__(self, config_text: str, source: Path, out: Path, builder: str = "html", fresh: bool = False,
                 toc: Path | None = None):
        self.out, self.builder, self.config_text = out, builder, config_text
        self.work = out / f"sphinx-{builder}"
        if self.work.exists() and (fresh or not (self.work / "complete").exists()):
            shutil.rmtree(self.work)
        config = out / "tmp" / f"_config-{builder}.yml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(config_text, encoding="utf-8")
        self.cmd = [sys.executable, "-c", RUNNER, "build", str(source), "--config", str(config),
                    "--toc", str(toc or source / "_toc.yml"), "--path-output", str(self.work), "-W", "-n", "--keep-going",
                    "--builder", builder]
        self.proc = None

    def start(self) -> None:
        """Start Jupyter Book (once): it loads and waits."""
        if self.proc is None:
            self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True,
                                         env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})

    def cancel(self) -> None:
        """Stop it before it read anything (its work folder stays as the last render left it)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()

    def finish(self, echo=None) -> None:
        """Render, then swap in the new site; ``echo`` (e.g. print) receives Jupyter Book's output."""
        self.start()
        (self.work / "complete").unlink(missing_ok=True)
        output, _ = self.proc.communicate("go\n")
        if echo:
            echo(output.rstrip())
        if self.proc.returncode != 0:
            shutil.rmtree(self.work, ignore_errors=True)
            raise BuildError("Jupyter Book failed; the previous site is kept.\n" +
                             "\n".join(output.strip().splitlines()[-40:]))
        (self.work / "complete").touch()
        site, new, old = self.out / "html", self.out / "html.new", self.out / "html.old"
        for folder in (new, old):
            shutil.rmtree(folder, ignore_errors=True)
        copy_site(self.work / "_build" / self.builder, site, new)
        if site.exists():
            site.rename(old)
        new.rename(site)
        shutil.rmtree(old, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cancel()


def render(config_text: str, source: Path, out: Path, builder: str = "html", echo=None, fresh: bool = False,
           toc: Path | None = None) -> None:
    """Render ``source`` into ``out/html`` now (see :class:`Renderer`; ``toc``: another table of
    contents than the source's)."""
    with Renderer(config_text, source, out, builder, fresh, toc) as renderer:
        renderer.finish(echo)
