"""`make run`: the demo sign-in is kept (owner-only) and shown once the server answers;
Ctrl-C is a clean stop."""

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from alliance.dev_run import sign_in_text

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_it_keeps_the_demo_sign_in_in_a_file_only_its_owner_can_read(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    kept = tmp_path / "demo-secretariat.txt"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    password = next(line.split()[-1] for line in out.getvalue().splitlines() if "password:" in line)
    assert f"password: {password}" in kept.read_text()
    assert "secretariat@example.org" in kept.read_text()


@pytest.mark.django_db
def test_the_forgotten_password_hint_is_a_command_that_works_as_printed(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_admin", stdout=StringIO())
    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    hint = out.getvalue()
    assert str(tmp_path / "demo-secretariat.txt") in hint
    command = next(line.strip() for line in hint.splitlines() if "changepassword" in line)
    # Without DJANGO_DEBUG=true a bare manage.py refuses to start (production settings).
    assert command == (
        "DJANGO_DEBUG=true .venv/bin/python manage.py changepassword secretariat@example.org"
    )


def test_the_ready_message_repeats_the_sign_in(tmp_path):
    (tmp_path / "demo-secretariat.txt").write_text("  password: s3cret\n")
    text = sign_in_text(url="http://127.0.0.1:8001", var_dir=tmp_path)
    assert "http://127.0.0.1:8001/admin/" in text
    assert "password: s3cret" in text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ctrl_c_stops_everything_and_exits_0(tmp_path):
    """The runner as `make run` starts it, around honcho and a server on PORT."""
    (tmp_path / "demo-secretariat.txt").write_text("  password: s3cret\n")
    (tmp_path / "Procfile").write_text(
        f"web: {sys.executable} -m http.server --bind 127.0.0.1 $PORT\n"
        f"idle: {sys.executable} -c 'import time; time.sleep(60)'\n"
    )
    port = _free_port()
    honcho = str(Path(sys.executable).with_name("honcho"))
    runner = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "alliance.dev_run",
            "--port",
            str(port),
            "--var-dir",
            str(tmp_path),
            "--",
            honcho,
            "start",
            "-f",
            str(tmp_path / "Procfile"),
            "--port",
            str(port),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's job is
    )
    output = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = runner.stdout.readline()
        output.append(line)
        if "password: s3cret" in line:
            break
    assert "password: s3cret" in "".join(output), "".join(output)
    assert any(f"http://127.0.0.1:{port}/" in line for line in output)
    # Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
    os.killpg(runner.pid, signal.SIGINT)
    rest, _ = runner.communicate(timeout=30)
    assert runner.returncode == 0, "".join(output) + rest
