"""A small progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""

import sys
import time
from typing import TextIO


class ProgressBar:
    width = 30

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.perf_counter()
        self.interactive = self.stream.isatty()
        self.last_tenth = 0

    def advance(self, count: int) -> None:
        self.done += count
        if self.interactive:
            self.stream.write("\r" + self.line())
            self.stream.flush()
            return
        tenth = min(10, self.done * 10 // self.total)
        if tenth > self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def line(self) -> str:
        fraction = min(1.0, self.done / self.total)
        filled = round(self.width * fraction)
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        remaining = (self.total - self.done) / rate if rate else 0.0
        return (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%} "
            f"{self.done:,}/{self.total:,} learners, {rate:,.0f}/s, "
            f"{elapsed:.0f}s elapsed, ~{remaining:.0f}s left"
        )

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
