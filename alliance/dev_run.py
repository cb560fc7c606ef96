"""`make run`'s foreground: start the Procfile, say how to sign in once it answers, stop cleanly.

    python -m alliance.dev_run [--port 8000] [--var-dir var] -- honcho start -f Procfile.dev

- Waits for http://127.0.0.1:<port>/healthz, then prints the demo sign-in kept in
  <var-dir>/demo-secretariat.txt (written by `manage.py ensure_demo_admin`), so it is on
  screen below the start-up logs rather than scrolled away above them.
- Ctrl-C stops every process and exits 0. On a terminal the runner takes the
  terminal's foreground in a process group of its own, so the interrupt reaches it and
  its children but not `make` (GNU make reports any interrupt it receives as an error
  and exits 130, however cleanly its child stopped); the foreground is handed back on
  exit.

Imports nothing from Django: it runs before and beside the server.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

READY_TIMEOUT_SECONDS = 120
POLL_SECONDS = 0.5
# honcho's exit status after it stopped its processes on SIGINT / SIGTERM.
STOPPED_BY_SIGNAL = {130, 143, -signal.SIGINT, -signal.SIGTERM}


def sign_in_text(*, url: str, var_dir: Path) -> str:
    """What to print once the portal answers: its address and the demo sign-in, if kept."""
    lines = [f"The portal is ready: {url}/  (admin: {url}/admin/)"]
    credentials = var_dir / "demo-secretariat.txt"
    if credentials.exists():
        lines.append(credentials.read_text(encoding="utf-8").rstrip())
        lines.append(f"(kept in {credentials}, readable by you only)")
    lines.append("Ctrl-C stops everything.")
    width = max(len(line) for text in lines for line in text.splitlines())
    rule = "=" * min(width, 100)
    return "\n".join(["", rule, *lines, rule, ""])


def wait_until_ready(url: str, *, timeout: float = READY_TIMEOUT_SECONDS, stop=None) -> bool:
    """Poll `url` + /healthz until it answers (any HTTP status); False after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (stop and stop.is_set()):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 (loopback)
                return True
        except urllib.error.HTTPError:
            return True  # it answered: 503 means the database is down, which it will say
        except OSError:
            time.sleep(POLL_SECONDS)
    return False


@contextlib.contextmanager
def terminal_foreground():
    """Own the terminal's foreground for the duration, then hand it back (no-op off a tty)."""
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
        previous = os.tcgetpgrp(tty)
    except OSError:
        yield
        return
    # Changing the foreground from a background group raises SIGTTOU: ignore it, as
    # shells do for job control.
    old_ttou = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.setpgid(0, 0)
        os.tcsetpgrp(tty, os.getpgrp())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(tty, previous)
        signal.signal(signal.SIGTTOU, old_ttou)
        os.close(tty)


def run(command: list[str], *, port: int, var_dir: Path) -> int:
    """Run `command` until it ends; 0 when it ended because it was told to stop."""
    url = f"http://127.0.0.1:{port}"
    stopping = threading.Event()

    def _stop(signum, frame):
        # The children got the same signal from the terminal (or from us below); wait
        # for them to finish stopping rather than die first and leave them behind.
        stopping.set()
        if signum == signal.SIGTERM and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    child = subprocess.Popen(command)  # noqa: S603 (our own Procfile runner)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)

    def _announce():
        if wait_until_ready(url, stop=stopping) and not stopping.is_set():
            print(sign_in_text(url=url, var_dir=var_dir), flush=True)

    threading.Thread(target=_announce, daemon=True).start()
    returncode = child.wait()
    if stopping.is_set() and returncode in STOPPED_BY_SIGNAL | {0}:
        return 0
    return returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--var-dir", type=Path, default=Path("var"))
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    with terminal_foreground():
        return run(args.command, port=args.port, var_dir=args.var_dir)


if __name__ == "__main__":
    sys.exit(main())
