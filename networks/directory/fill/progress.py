"""fill_directory's progress bar and the seconds it spent per step."""

import contextlib
import time


class Progress:
    """A one-line progress bar on stderr (a line per tenth when it is not a terminal).

    `stream` is the command's stderr (an OutputWrapper), so call_command(stderr=...)
    captures it.
    """

    WIDTH = 30

    def __init__(self, total: int, label: str, stream, enabled: bool = True):
        self.total, self.label, self.done = max(total, 0), label, 0
        self.stream = stream
        self.enabled = enabled and self.total > 0
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = -1

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        tenth = self.done * 10 // self.total
        if not self.tty and tenth == self.last_tenth:
            return
        self.last_tenth = tenth
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = (
            f"{self.label} [{bar}] {self.done:,}/{self.total:,} "
            f"{100 * self.done / self.total:5.1f}%  {rate:,.0f}/s  ETA {left:4.0f}s"
        )
        self.stream.write(("\r" + line) if self.tty else (line + "\n"), ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n", ending="")
            self.stream.flush()


class Timings(dict):
    """Seconds spent per step (shown with -v 2)."""

    @contextlib.contextmanager
    def measure(self, step: str):
        started = time.monotonic()
        try:
            yield
        finally:
            self[step] = self.get(step, 0.0) + time.monotonic() - started
