"""Upload-to-row latency and throughput of the event chain on a local stack.

Run from the repository root with the stack up (`invoiceflow dev up`):

    python benchmarks/chain_bench.py --count 6

Each sample is uploaded to the input bucket; the script polls the warehouse
and prints, per invoice, the seconds from upload to its row, then the median
and the throughput of the whole batch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from invoiceflow.devstack import DevStack
from invoiceflow.gcp import storage
from invoiceflow.samples import generate_corpus
from invoiceflow.settings import PipelineSettings
from invoiceflow.warehouse import DuckDbWarehouse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--state-dir", type=Path, default=Path(".state"))
    parser.add_argument("--timeout-seconds", type=float, default=900)
    args = parser.parse_args()

    stack = DevStack(args.state_dir)
    env = stack.env()
    os.environ["STORAGE_EMULATOR_HOST"] = env["STORAGE_EMULATOR_HOST"]
    settings = PipelineSettings()
    bucket = storage.Client(project=settings.project_id).bucket(settings.input_bucket)
    warehouse = DuckDbWarehouse(stack.warehouse_path, settings.warehouse_table)

    with tempfile.TemporaryDirectory() as folder:
        paths = generate_corpus(Path(folder), count=args.count, seed=int(time.time()))
        uploaded: dict[str, float] = {}
        started = time.monotonic()
        for path in paths:
            blob = bucket.blob(f"bench/{int(time.time())}/{path.name}")
            blob.upload_from_filename(str(path), content_type="image/tiff")
            uploaded[f"gs://{bucket.name}/{blob.name}#{blob.generation}"] = (
                time.monotonic()
            )

    latencies = _wait(warehouse, uploaded, args.timeout_seconds)
    elapsed = time.monotonic() - started
    for source, seconds in sorted(latencies.items(), key=lambda item: item[1]):
        print(f"{seconds:7.1f} s  {source}")
    print(f"invoices: {len(latencies)} of {len(uploaded)}")
    print(f"median upload-to-row: {statistics.median(latencies.values()):.1f} s")
    print(
        f"batch: {elapsed:.1f} s, {len(latencies) / elapsed * 60:.1f} invoices/minute"
    )


def _wait(
    warehouse: DuckDbWarehouse, uploaded: dict[str, float], timeout_seconds: float
) -> dict[str, float]:
    latencies: dict[str, float] = {}
    deadline = time.monotonic() + timeout_seconds
    while len(latencies) < len(uploaded) and time.monotonic() < deadline:
        for source, at in uploaded.items():
            if source not in latencies and warehouse.row(source) is not None:
                latencies[source] = time.monotonic() - at
        time.sleep(0.5)
    return latencies


if __name__ == "__main__":
    main()
