"""Celery workers and a private Redis for bench/reminders.py and bench/reminders_chaos.py:
started as production starts them, stopped, their memory sampled (kB, MB where said)
and their queues forgotten afterwards."""

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def start_worker(
    queue: str, smtp_port: int, log: Path, *, code: Path = REPO, env=None, wait: bool = True
) -> subprocess.Popen:
    """`celery -A alliance worker` as Procfile.dev runs it, from the checkout `code`, on
    `queue`, sending through 127.0.0.1:`smtp_port`, with `env` added to the environment
    and its output appended to `log`. With `wait`, returns once the worker says it is
    ready, and raises SystemExit (with the log's end) if it is not within 60 s."""
    env = dict(
        os.environ,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(code),
        **(env or {}),
    )
    command = [sys.executable, "-m", "celery", "-A", "alliance", "worker", "--loglevel=INFO"]
    command += ["-Q", queue, "-n", f"{uuid.uuid4().hex[:8]}@%h"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
    with log.open("ab") as out:
        worker = subprocess.Popen(  # noqa: S603
            command, cwd=code, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while wait and b" ready." not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    return worker


def stop_workers(workers: list[subprocess.Popen]) -> None:
    """SIGTERM to each live worker (a warm shutdown), then SIGKILL to any still alive
    30 s later."""
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def forget_queue(broker_url: str, token: str) -> None:
    """Deletes the Redis keys and kombu bindings that name `token` (a run's queue)."""
    import redis

    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    mark = token.encode()
    for key in client.scan_iter(match=f"*{token}*"):
        client.delete(key)
    for key in client.scan_iter(match="_kombu.binding.*"):
        for member in client.smembers(key):
            if mark in member:
                client.srem(key, member)
    client.close()


def process_trees(roots: list[int]) -> list[list[int]]:
    """Each of `roots` and every process below it, from one reading of /proc."""
    children = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry))
    trees = []
    for root in roots:
        tree, todo = [], [root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        trees.append(tree)
    return trees


def rss_kb(pids: list[int]) -> int:
    """Sum of VmRSS over `pids`, in kB."""
    rss = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
    return rss


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of `pids` so far, in seconds, from /proc."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Peak RSS (kB) of each worker: the sum over the worker's process tree, every
    PERIOD seconds until `stopping` is set; and `cpu`, the CPU seconds all of them spent
    meanwhile (start-up excluded: they are ready when it starts).

    It shares the machine with what it measures, so each sample reads /proc once for
    every worker and only VmRSS (no smaps, which the kernel walks page by page): the
    bench's own process had used 11 % of a core while two workers were measured.
    """

    PERIOD = 0.2  # seconds

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak_rss = dict.fromkeys(pids, 0)
        self.stopping = threading.Event()
        self.cpu = 0.0

    def run(self):
        started = cpu_seconds([p for tree in process_trees(self.pids) for p in tree])
        while not self.stopping.is_set():
            trees = process_trees(self.pids)
            for pid, tree in zip(self.pids, trees, strict=True):
                self.peak_rss[pid] = max(self.peak_rss[pid], rss_kb(tree))
            self.cpu = cpu_seconds([p for tree in trees for p in tree]) - started
            self.stopping.wait(self.PERIOD)


class PrivateRedis:
    """A redis-server of this run's own on 127.0.0.1:`port`, without persistence, that
    can be killed and started again (`process` is its Popen, for SIGSTOP/SIGCONT)."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self):
        """Starts it and waits until it answers PING; SystemExit if not within ~10 s."""
        import redis

        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()
