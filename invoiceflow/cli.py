"""The `invoiceflow` command: run files, drive the local stack, bridge, reconcile."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from invoiceflow.output import TABLE_COLUMNS

app = typer.Typer(help="Scanned invoices to warehouse rows, one Prefect flow run each.")
dev = typer.Typer(help="The offline local stack.")
app.add_typer(dev, name="dev")

# Tables are for people; when piped, keep them readable rather than 80 columns.
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)

StateDir = Annotated[
    Path,
    typer.Option(
        "--state-dir",
        envvar="INVOICEFLOW_STATE_DIR",
        help="where the stack keeps its data",
    ),
]


def _stack(state_dir: Path) -> Any:
    from invoiceflow.devstack import DevStack

    return DevStack(state_dir)


@dev.command("up")
def dev_up(state_dir: StateDir = Path(".state")) -> None:
    """Start the local stack (idempotent) and deploy `process-invoice-local`."""
    from invoiceflow.devstack.processes import ServiceStartError
    from invoiceflow.devstack.tools import MissingPrerequisiteError

    stack = _stack(state_dir)
    try:
        with err.status("Starting the local stack..."):
            stack.up()
    except (MissingPrerequisiteError, ServiceStartError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    _print_status(stack.status())
    out.print("Next: upload a TIFF to gs://invoices-input, or run 'invoiceflow demo'.")


@dev.command("down")
def dev_down(state_dir: StateDir = Path(".state")) -> None:
    """Stop what `dev up` started."""
    stopped = _stack(state_dir).down()
    out.print(f"Stopped: {', '.join(stopped) if stopped else 'nothing was running'}.")


@dev.command("status")
def dev_status(
    state_dir: StateDir = Path(".state"),
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Each part's state and address, and where the warehouse is."""
    status = _stack(state_dir).status()
    if as_json:
        print(json.dumps(status))
        return
    _print_status(status)


def _print_status(status: dict[str, Any]) -> None:
    table = Table("part", "state", "address", "log")
    for name, part in status["parts"].items():
        table.add_row(name, part["state"], part["address"] or "", part["log"])
    out.print(table)
    out.print(f"Prefect UI: {status['ui']}    warehouse: {status['warehouse']}")


@app.command()
def bridge(
    push: Annotated[
        bool,
        typer.Option(help="serve Pub/Sub push requests over HTTP instead of pulling"),
    ] = False,
    port: Annotated[int, typer.Option(envvar="PORT")] = 8080,
) -> None:
    """Forward upload notifications from Pub/Sub to Prefect as `invoice.uploaded`."""
    from invoiceflow.bridge import Bridge, run_subscriber
    from invoiceflow.events import PrefectEventPoster
    from invoiceflow.settings import PipelineSettings

    _configure_logging()
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        err.print(
            "[red]error:[/] PREFECT_API_URL is not set; point it at the Prefect API."
        )
        raise typer.Exit(2)

    instance = Bridge(PipelineSettings(), PrefectEventPoster(api_url))
    if push:
        from invoiceflow.bridge_http import serve

        serve(instance, port)
    else:
        run_subscriber(instance)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="TIFF files to process")],
    as_json: Annotated[
        bool, typer.Option("--json", help="one JSON object per input")
    ] = False,
    state_dir: StateDir = Path(".state"),
) -> None:
    """Process local files through `process-invoice` with no servers at all."""
    from invoiceflow.local_run import run_files

    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        err.print(f"[red]error:[/] no such file: {', '.join(missing)}")
        raise typer.Exit(2)

    results = run_files(paths, state_dir)
    if as_json:
        for result in results:
            print(json.dumps(result))
    else:
        print_results(results)
        err.print(f"Rows are in {state_dir / 'warehouse.duckdb'}.")
    if any(result["status"] == "failed" for result in results):
        raise typer.Exit(1)


def print_results(results: list[dict[str, Any]]) -> None:
    """One row per input; reasons for review or failure follow the table in full."""
    table = Table("#", "file", *TABLE_COLUMNS)
    notes = []
    for number, result in enumerate(results, start=1):
        cells = [
            str(result.get(key) if result.get(key) is not None else "")
            for key in TABLE_COLUMNS
        ]
        name = Path(result["source"].split("#")[0]).name
        table.add_row(str(number), name, *cells)
        note = result.get("error") or "; ".join(result.get("review_reasons") or [])
        if note:
            notes.append(f"{number}. {result['status']}: {note}")
    out.print(table)
    for note in notes:
        out.print(note, soft_wrap=True)


@app.command()
def demo(
    count: Annotated[int, typer.Option(help="sample invoices to generate")] = 6,
    state_dir: StateDir = Path(".state"),
    timeout_seconds: Annotated[
        float, typer.Option(help="how long to wait for rows")
    ] = 600,
) -> None:
    """Start the stack, upload sample invoices, show the rows they became."""
    from invoiceflow.demo import run_demo

    dev_up(state_dir)
    results, ui = run_demo(_stack(state_dir), count, timeout_seconds)
    print_results(results)
    out.print(f"Follow each flow run in the Prefect UI: {ui}")
    if len(results) < count:
        err.print(
            f"[red]error:[/] only {len(results)} of {count} uploads reached "
            "the warehouse."
        )
        raise typer.Exit(1)


@app.command("eval")
def evaluate_command(
    folder: Annotated[
        Path, typer.Argument(help="TIFFs with ground-truth JSON beside them")
    ],
    min_key_accuracy: Annotated[
        float,
        typer.Option(
            help="exit 1 when invoice number, issuer, date and total score below"
        ),
    ] = 0.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Per-field extraction accuracy; held-out layouts are reported on their own."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from invoiceflow.evaluate import FIELDS, evaluate, find_corpus
    from invoiceflow.samples import HELD_OUT_LAYOUTS
    from invoiceflow.settings import PipelineSettings

    paths = find_corpus(folder)
    if not paths:
        err.print(f"[red]error:[/] no TIFF with a JSON beside it in {folder}.")
        raise typer.Exit(2)

    settings = PipelineSettings()
    scores = evaluate(
        paths,
        held_out=HELD_OUT_LAYOUTS,
        languages=settings.ocr_languages,
        workers=settings.ocr_workers,
    )
    groups = {name: score for name, score in scores.items() if score.documents}
    if as_json:
        print(
            json.dumps(
                {
                    name: {
                        "documents": score.documents,
                        "key_accuracy": score.key_accuracy(),
                        "fields": {f: score.accuracy(f) for f in FIELDS},
                        "misses": score.misses,
                    }
                    for name, score in groups.items()
                }
            )
        )
    else:
        table = Table(
            "field", *(f"{name} ({s.documents})" for name, s in groups.items())
        )
        for name in FIELDS:
            cells = [score.accuracy(name) for score in groups.values()]
            table.add_row(name, *("" if c is None else f"{c:.0%}" for c in cells))
        table.add_row(
            "key fields", *(f"{s.key_accuracy():.0%}" for s in groups.values())
        )
        out.print(table)

    # The floor guards the layouts extraction was developed on; a corpus of
    # held-out layouts alone is judged on those.
    judged = scores["seen"] if scores["seen"].documents else scores["held_out"]
    if judged.key_accuracy() < min_key_accuracy:
        err.print(
            f"[red]error:[/] key-field accuracy {judged.key_accuracy():.0%} is below "
            f"the floor {min_key_accuracy:.0%}."
        )
        raise typer.Exit(1)


@app.command()
def reconcile(state_dir: StateDir = Path(".state")) -> None:
    """Every input object and its outcome; exit 1 when any has none."""
    from invoiceflow.reconcile import reconcile_stack

    outcomes = reconcile_stack(_stack(state_dir))
    table = Table("source", "outcome")
    for source, outcome in outcomes:
        table.add_row(source, outcome or "[red]missing[/]")
    out.print(table)
    missing = sum(1 for _, outcome in outcomes if outcome is None)
    out.print(f"{len(outcomes)} upload(s), {missing} without an outcome.")
    if missing:
        raise typer.Exit(1)


def _configure_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("INVOICEFLOW_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


if __name__ == "__main__":
    app()
