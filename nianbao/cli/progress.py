"""Progress of a long command on standard error (ingest, reparse, export).

- on a terminal: a rich progress bar with the count, the rate and the time left, the failures
  printed above it as they come;
- piped or redirected: plain lines (one at each tenth of the work, at most one every
  :data:`PLAIN_EVERY` seconds, and the last one), so that a log shows how far a run got;
- ``quiet``: nothing (failures are still printed: never silent).
Standard output is left to ``--json``.
"""

from __future__ import annotations

import time
from typing import Optional

from rich.console import Console
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress as RichProgress, ProgressColumn, TextColumn,
    TimeElapsedColumn, TimeRemainingColumn,
)
from rich.text import Text

PLAIN_EVERY = 5.0  # seconds between two plain lines at most once (except each tenth of the work)


class _Rate(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} {self.unit}/秒" if speed else f"– {self.unit}/秒", style="progress.data.speed")


def _eta(seconds: float) -> str:
    if seconds < 0.5:
        return "不到 1 秒"
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} 小时 {seconds % 3600 // 60} 分"
    if seconds >= 60:
        return f"{seconds // 60} 分 {seconds % 60} 秒"
    return f"{seconds} 秒"


class Progress:
    """``with Progress("入库", total, console) as p: p.advance(note=…)``; ``p.print(msg)`` prints
    a line (above the bar on a terminal)."""

    def __init__(self, label: str, total: Optional[int], console: Console, *, quiet: bool = False,
                 unit: str = "个", terminal: Optional[bool] = None) -> None:
        self.label, self.total, self.console, self.quiet, self.unit = label, total, console, quiet, unit
        self.terminal = console.is_terminal if terminal is None else terminal
        self.done = 0
        self.started = time.monotonic()
        self._bar: RichProgress | None = None
        self._task = None
        self._last_line = self.started
        self._last_tenth = 0

    def __enter__(self) -> "Progress":
        if not self.quiet and self.terminal:
            self._bar = RichProgress(
                TextColumn(self.label), BarColumn(), MofNCompleteColumn(), _Rate(self.unit),
                TextColumn("剩余"), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                TimeElapsedColumn(), console=self.console, transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, note="")
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def print(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message)
        else:  # a log's line: one line however long, never cut inside a path
            self.console.print(message, highlight=False, soft_wrap=True)

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=n, note=note)
            return
        now = time.monotonic()
        tenth = self.done * 10 // self.total if self.total else 0
        last = self.total is not None and self.done >= self.total
        if last or tenth > self._last_tenth or now - self._last_line >= PLAIN_EVERY:
            self._last_tenth, self._last_line = tenth, now
            self.console.print(self.line(), highlight=False, soft_wrap=True)

    def line(self) -> str:
        """The plain line: how many done (of how many), the rate and the time left."""
        el = max(self.elapsed, 1e-9)
        rate = self.done / el
        parts = [f"{self.label} {self.done}" + (f"/{self.total}（{self.done * 100 // max(self.total, 1)}%）" if self.total else "")]
        parts.append(f"{rate:.1f} {self.unit}/秒")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"预计剩余 {_eta((self.total - self.done) / rate)}")
        return "，".join(parts)
