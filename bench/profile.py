"""Sample the gateway under load with py-spy (no restart, no instrumentation) and summarise
where its CPU goes: the top frames by own and by inclusive time, and a share per package.

py-spy writes collapsed stacks (``--format raw``: ``frame;frame;frame count`` per line), kept
under ``bench/results/profiles/`` so a flame graph can be drawn from them later.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
#: packages a frame is attributed to, by the first path part that matches
_PACKAGES = (
    "strawberry",
    "graphql",
    "pydantic",
    "pydantic_core",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "starlette",
    "fastapi",
    "uvicorn",
    "aiodataloader",
    "prometheus_client",
    "opentelemetry",
    "asyncio",
    "json",
    "gateway",
    "resolvers",
    "schema",
)


_LIB = re.compile(r"\((?:/[^():;]*)?/lib/python3\.\d+/(site-packages/)?")
_REPO = str(Path(__file__).resolve().parent.parent) + "/"


def anonymise(collapsed: str) -> str:
    """Frame paths relative to site-packages, the standard library or the repository, so
    the stacks name no directory of the machine they were taken on."""
    text = _LIB.sub(lambda m: "(" if m[1] else "(stdlib/", collapsed)
    return text.replace(_REPO, "")


def py_spy() -> str | None:
    local = Path(sys.executable).with_name("py-spy")
    return str(local) if local.exists() else shutil.which("py-spy")


def frame_name(frame: str) -> str:
    """``resolve (strawberry/schema/execute.py:12)`` → ``resolve (strawberry/schema/execute.py)``;
    paths shortened to what follows ``site-packages/`` or the repository."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    return f"{match['func']} ({anonymise('(' + match['file'])[1:]})"


def package_of(frame: str) -> str:
    name = frame_name(frame)
    path = name[name.rfind("(") + 1 : -1]
    parts = path.replace("stdlib/", "").split("/")
    for part in parts[:2]:
        stem = part.removesuffix(".py")
        if stem in _PACKAGES:
            return stem
    return "stdlib/other" if name.endswith(".py)") and "stdlib/" in name else "other"


def summarise(collapsed: str, top: int = 25) -> dict[str, Any]:
    """Own-time and inclusive-time leaders, and own time per package (shares of samples)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if f]
        # py-spy's raw stacks start with the thread ("process 1:\"python\"", "thread (0x..)")
        frames = [f for f in frames if " (" in f and not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += count
        leaf = frames[-1]
        own[frame_name(leaf)] += count
        packages[package_of(leaf)] += count
        for name in {frame_name(f) for f in frames}:
            inclusive[name] += count

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return (
            [(k, round(100 * v / total, 1)) for k, v in counter.most_common(top)] if total else []
        )

    return {
        "samples": total,
        "own_pct": share(own),
        "inclusive_pct": share(inclusive),
        "packages_own_pct": share(packages),
    }


@dataclass
class Recording:
    path: Path
    summary_path: Path
    process: subprocess.Popen[bytes] | None

    def summary(self) -> dict[str, Any] | None:
        if not self.path.exists() or not self.path.stat().st_size:
            return None
        collapsed = anonymise(self.path.read_text(errors="replace"))
        self.path.write_text(collapsed, encoding="utf-8")
        result = summarise(collapsed)
        result["collapsed_stacks"] = self.path.name
        self.summary_path.write_text(render(result), encoding="utf-8")
        result["summary"] = self.summary_path.name
        self.path.with_name(self.path.name.replace(".collapsed.txt", ".py-spy.log")).unlink(
            missing_ok=True
        )
        return result


def render(summary: dict[str, Any]) -> str:
    lines = [f"samples: {summary['samples']}", "", "own time (% of samples):"]
    lines += [f"  {pct:5.1f}  {name}" for name, pct in summary["own_pct"]]
    lines += ["", "inclusive time (% of samples):"]
    lines += [f"  {pct:5.1f}  {name}" for name, pct in summary["inclusive_pct"]]
    lines += ["", "own time per package (%):"]
    lines += [f"  {pct:5.1f}  {name}" for name, pct in summary["packages_own_pct"]]
    return "\n".join(lines) + "\n"


@contextmanager
def recording(pid: int, seconds: float, out_dir: Path, name: str) -> Iterator[Recording]:
    """py-spy records ``pid`` for ``seconds`` while the body drives load; no-op without
    py-spy (the summary is then ``None``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.collapsed.txt"
    summary_path = out_dir / f"{name}.top.txt"
    exe = py_spy()
    if exe is None:
        yield Recording(path, summary_path, None)
        return
    log = out_dir / f"{name}.py-spy.log"
    cmd = [
        exe, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
        "--rate", "200", "--format", "raw", "--output", str(path), "--nonblocking",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield Recording(path, summary_path, process)
    finally:
        try:
            process.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
