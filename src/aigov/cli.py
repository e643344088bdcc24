"""Command line: ``aigov build``, ``aigov validate``, ``aigov fetch``."""
import os
import sys
from pathlib import Path

import click

from . import sources
from .errors import AigovError
from .paths import BUILD


def _mirror(value: str | None) -> None:
    """Pass ``--mirror`` on to the notebooks' kernels, which inherit the environment."""
    if value:
        os.environ[sources.MIRROR_ENV] = str(sources.mirror_dir(value))


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
              f"(default: ${sources.MIRROR_ENV}, else ../shared/data-mirror if it exists, else download).")
@click.option("-p", "--param", "pairs", multiple=True, help="Notebook parameter, e.g. -p as_of=2015-01-01 "
              "-p focus=KEN,NGA. A build with parameters goes to _build/variants/<params> unless --output.")
@click.option("--output", type=click.Path(file_okay=False), help="Build folder (site in <output>/html).")
@click.option("--jobs", default=2, show_default=True, help="Notebooks executed in parallel.")
@click.option("--force", is_flag=True, help="Re-execute every notebook and re-render.")
@click.option("--curated", type=click.Path(exists=True, file_okay=False),
              help="Folder of curated tables to build from instead of data/curated (e.g. an edited copy).")
def build(mirror, pairs, output, jobs, force, curated) -> None:
    """Execute the notebooks that changed and render the book."""
    from .build import Project
    from .build import build as run
    _mirror(mirror)
    parameters = _params(pairs)
    if output:
        out = Path(output)
    elif parameters or curated:
        name = [f"{k}-{v}".replace(",", "+") for k, v in sorted(parameters.items())]
        out = BUILD / "variants" / "_".join(name + ([f"curated-{Path(curated).name}"] if curated else []))
    else:
        out = BUILD
    project = Project(curated=Path(curated).resolve()) if curated else None
    report = run(parameters, out=out.resolve(), jobs=jobs, force=force, project=project)
    click.echo(f"executed {len(report.executed)}, unchanged {len(report.skipped)}, "
               f"{'rendered' if report.rendered else 'site unchanged'} in {report.seconds:.1f} s")
    click.echo(f"site: {out / 'html' / 'index.html'}")


@cli.command()
@click.option("--mirror", type=click.Path(file_okay=False), help="Folder holding the external datasets.")
def fetch(mirror) -> None:
    """Obtain and verify every external dataset in data/sources.csv."""
    _mirror(mirror)
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
