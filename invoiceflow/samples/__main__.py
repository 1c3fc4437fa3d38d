"""Command line: `python -m invoiceflow.samples OUT_DIR [--count N] [--seed S]`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from invoiceflow.samples.corpus import generate_corpus
from invoiceflow.samples.layouts import HELD_OUT_LAYOUTS, LAYOUTS


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus, list what was written and suggest the next command."""
    args = _parser().parse_args(argv)
    layouts = args.layouts.split(",") if args.layouts else None

    try:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Generating", total=args.count)
            paths = generate_corpus(
                args.out_dir,
                args.count,
                args.seed,
                layouts=layouts,
                on_written=lambda _: progress.advance(task),
            )
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    for path in paths:
        print(_describe(path))
    print(f"Wrote {len(paths)} invoices to {args.out_dir} with seed {args.seed}.")
    print(f"Next: invoiceflow run {args.out_dir}/*.tif --json")
    print(f"  or: invoiceflow eval {args.out_dir}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m invoiceflow.samples",
        description="Write synthetic scanned invoices as TIFF files, each with a "
        "ground-truth JSON of the same name.",
    )
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path)
    parser.add_argument("--count", type=_count, default=6, help="files (default 6)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    held_out = ", ".join(sorted(HELD_OUT_LAYOUTS))
    parser.add_argument(
        "--layouts",
        help=f"comma-separated subset of {', '.join(LAYOUTS)} "
        f"(default all; {held_out} is held out of extraction development)",
    )
    return parser


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"count must be zero or more, got {value}")
    return value


def _describe(path: Path) -> str:
    truth = json.loads(path.with_suffix(".json").read_text("utf-8"))
    mode = "1-bit" if truth["bilevel"] else "8-bit gray"
    pages = f"{truth['pages']} page" + ("s" if truth["pages"] > 1 else "")
    return (
        f"{path.name}  {truth['layout']}, {truth['language']}, {pages}, "
        f"{mode}, {truth['dpi']} dpi"
    )


if __name__ == "__main__":
    raise SystemExit(main())
