"""A bench stopped with SIGTERM stops the servers it started (they would otherwise keep
serving and skew every later run on the machine)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bench.processes import _launch, stop

    child = _launch("sleeper", ["-c", "import time; time.sleep(120)"], {}, Path(sys.argv[1]), "")
    try:
        print(child.pid, flush=True)
        time.sleep(120)
    finally:
        stop(child)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a child stopped but not yet reaped by its parent is a zombie: gone for our purpose
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][:1] != "Z"


def test_sigterm_stops_the_servers_a_bench_started(tmp_path: Path) -> None:
    bench = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert bench.stdout is not None
        child = int(bench.stdout.readline())
        assert _alive(child)

        bench.send_signal(signal.SIGTERM)

        assert bench.wait(timeout=30) == 128 + signal.SIGTERM
        for _ in range(100):  # the child's exit is reaped by the bench; at most a moment
            if not _alive(child):
                break
            time.sleep(0.1)
        assert not _alive(child)
    finally:
        bench.kill()
        bench.wait()
        if bench.stdout is not None:
            bench.stdout.close()
