"""Command line: ``aigov build``, ``aigov sweep``, ``aigov pdf``, ``aigov validate``, ``aigov fetch``."""
import gc
import os
import sys
from pathlib import Path

import click

from . import fingerprint
from .errors import AigovError
from .paths import BUILD, CURATED, MIRROR_ENV, ROOT


def _mirror(value: str | None) -> None:
    """Pass ``--mirror`` on to the notebooks' kernels, which inherit the environment."""
    if value:
        from .sources import mirror_dir
        os.environ[MIRROR_ENV] = str(mirror_dir(value))


def _params(pairs: tuple[str, ...]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="-p/--param")
        out[key.strip()] = value.strip()
    return out


@click.group()
def cli() -> None:
    """Networks of AI Governance: build and check the report."""


@cli.command()
@click.option("--mirror", type=click.Path(file_okay=False), help="Folder holding the external datasets "
              f"(default: ${MIRROR_ENV}, else ../shared/data-mirror if it exists, else download).")
@click.option("-p", "--param", "pairs", multiple=True, help="Notebook parameter, e.g. -p as_of=2015-01-01 "
              "-p focus=KEN,NGA. A build with parameters goes to _build/variants/<params> unless --output.")
@click.option("--output", type=click.Path(file_okay=False), help="Build folder (site in <output>/html).")
@click.option("--jobs", default=os.cpu_count() or 1, show_default=True,
              help="Kernels executing notebooks in parallel (each runs one notebook after another).")
@click.option("--force", is_flag=True, help="Re-execute every notebook and re-render.")
@click.option("--curated", type=click.Path(exists=True, file_okay=False),
              help="Folder of curated tables to build from instead of data/curated (e.g. an edited copy).")
@click.option("--no-countries", is_flag=True, help="Leave out the Countries part (the country profiles, "
              "swept on a local Dask cluster); a build with parameters always does.")
@click.option("-v", "--verbose", is_flag=True, help="Also print what the kernels and Jupyter Book print.")
def build(mirror, pairs, output, jobs, force, curated, no_countries, verbose) -> None:
    """Execute the notebooks that changed, sweep the country profiles that changed, render the book."""
    _mirror(mirror)
    parameters = _params(pairs)
    if output:
        out = Path(output)
    elif parameters or curated or no_countries:
        name = [f"{k}-{v}".replace(",", "+") for k, v in sorted(parameters.items())]
        out = BUILD / "variants" / "_".join(name + ([f"curated-{Path(curated).name}"] if curated else [])
                                            + (["no-countries"] if no_countries else []))
    else:
        out = BUILD
    tables = Path(curated or CURATED).resolve()
    if not force and fingerprint.unchanged([ROOT, tables], out.resolve(), parameters):
        click.echo(f"nothing changed since the last build\nsite: {out / 'html' / 'index.html'}")
        return
    from .pool import start  # the kernels start before the build loads its own libraries
    with start(tables, out.resolve(), jobs) as pool:
        gc.disable()  # while the libraries load (the collector's passes would take a sixth of it)
        from .build import Project
        from .build import build as run
        gc.enable()
        project = Project(curated=tables, **({"profiles": None} if no_countries else {}))
        report = run(parameters, out=out.resolve(), jobs=jobs, force=force, project=project,
                     verbose=verbose, pool=pool)
    click.echo(f"executed {len(report.executed)}, unchanged {len(report.skipped)}, "
               f"{'rendered' if report.rendered else 'site unchanged'} in {report.seconds:.1f} s")
    click.echo(f"site: {out / 'html' / 'index.html'}")
    gc.freeze()  # the process ends here: spares the collector a last pass over every object (0.2 s)


@cli.command()
@click.option("--countries", default="all", show_default=True,
              help="'all' (every state with a recorded membership) or ISO3 codes, e.g. KEN,NGA.")
@click.option("--as-of", "as_of", default="all", show_default=True,
              help="'all' (the book's profiles: each country's latest and its archived 31 Decembers since 2016), "
              "YYYY..YYYY (the archived dates in those years, and the latest profile when the range reaches the "
              "data date), 'latest', or dates YYYY-MM-DD,YYYY-MM-DD.")
@click.option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786); default: a local cluster.")
@click.option("--workers", default=os.cpu_count() or 1, show_default=True, help="Workers of the local cluster.")
@click.option("--batch-size", type=int, help="Profiles per Dask task (default: about four tasks per worker).")
@click.option("--output", type=click.Path(file_okay=False), help="Build folder (default: _build); the profiles "
              "go to <output>/profiles.")
@click.option("--curated", type=click.Path(exists=True, file_okay=False), help="Folder of curated tables.")
@click.option("--mirror", type=click.Path(file_okay=False), help="Folder holding the external datasets.")
@click.option("--force", is_flag=True, help="Run every profile of the grid again.")
def sweep(countries, as_of, scheduler, workers, batch_size, output, curated, mirror, force) -> None:
    """Run the country-profile notebook over countries and dates on Dask distributed."""
    _mirror(mirror)
    from . import sweep as S
    tables = Path(curated or CURATED).resolve()
    grid = S.grid(S.parse_countries(countries, tables), as_of, tables)
    report = S.sweep(grid, Path(output) if output else BUILD, tables, workers=workers, scheduler=scheduler,
                     force=force, batch_size=batch_size, log=click.echo)
    ran = len(report.executed)
    rate = f", {ran / report.seconds:.1f} profiles/s" if ran else ""
    click.echo(f"ran {ran}, rendered {len(report.rendered)}, unchanged {len(report.unchanged)} "
               f"in {report.seconds:.1f} s{rate}")
    if ran:
        work = report.kernel_seconds + report.busy_seconds
        click.echo(f"workers: {report.workers}; starting kernels {report.kernel_seconds:.1f} s of {work:.1f} s "
                   f"of work ({100 * report.kernel_seconds / work:.0f}%)")


@cli.command()
@click.option("--mirror", type=click.Path(file_okay=False), help="Folder holding the external datasets.")
@click.option("--output", type=click.Path(file_okay=False), help="Build folder (default: _build); the PDF "
              "goes to <output>/pdf/book.pdf.")
def pdf(mirror, output) -> None:
    """Build the whole book as one PDF (single-page HTML printed by headless Chromium)."""
    from .pdf import build_pdf
    _mirror(mirror)
    path = build_pdf(Path(output).resolve() if output else BUILD)
    click.echo(f"pdf: {path}")


@cli.command()
@click.option("--mirror", type=click.Path(file_okay=False), help="Folder holding the external datasets.")
def fetch(mirror) -> None:
    """Obtain and verify every external dataset in data/sources.csv."""
    _mirror(mirror)
    from . import sources
    for key in sources.manifest().index:
        click.echo(f"{key}: {sources.fetch(key)}")


@cli.command()
@click.option("--curated", type=click.Path(exists=True, file_okay=False), help="Folder of curated tables "
              "(default: data/curated).")
def validate(curated) -> None:
    """Validate the curated tables."""
    from .curated import CURATED, load_all
    tables = load_all(Path(curated) if curated else CURATED)
    click.echo("; ".join(f"{name}: {len(df)} rows" for name, df in tables.items()) + " - all valid")


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AigovError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
