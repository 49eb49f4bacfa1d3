"""The processes a command starts (MkDocs, Pagefind) and how they stop with it.

Each child runs in a process group of its own, so that what it starts in turn (Pagefind's
binary, the preview's background indexing) is stopped with it; a terminal's Ctrl+C therefore
reaches only kb, which stops its children itself (`stopping_on_signals`)."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE = 5.0  # seconds a child gets to end after SIGTERM before SIGKILL


class Stopped(Exception):
    """A signal asked the command to stop; its exit code is 128 + the signal's number."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


class Children:
    def __init__(self):
        self.running: set[subprocess.Popen] = set()
        self.lock = threading.RLock()  # RLock: the signal handler may run while this thread holds it
        self.stopping: int | None = None

    def start(self, args: list, **options) -> subprocess.Popen:
        with self.lock:
            if self.stopping is not None:
                raise Stopped(self.stopping)
            process = subprocess.Popen(args, start_new_session=True, **options)
            self.running.add(process)
        return process

    def forget(self, process: subprocess.Popen) -> None:
        with self.lock:
            self.running.discard(process)

    def run(self, args: list, **options) -> subprocess.CompletedProcess:
        """Like subprocess.run with its output captured as text."""
        process = self.start(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)
        try:
            stdout, stderr = process.communicate()
        finally:
            self.forget(process)
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def stop(self, signum: int | None = None) -> None:
        """SIGTERM to every child's group now, SIGKILL after GRACE to a child still running. It
        does not wait (a signal handler calls it, perhaps while this thread is in a child's
        wait()): `wait` does. Stopped by a signal (`signum`), nothing is started afterwards."""
        with self.lock:
            self.stopping = self.stopping or signum
            processes = [process for process in self.running if process.poll() is None]
        for process in processes:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)  # the group's id is the child's pid (a new session)
        if processes:
            timer = threading.Timer(GRACE, self._kill, [processes])
            timer.daemon = True
            timer.start()

    @staticmethod
    def _kill(processes: list) -> None:
        for process in processes:
            if process.poll() is None:  # not yet reaped: its pid, the group's id, is still its own
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)

    def wait(self) -> None:
        with self.lock:
            processes = list(self.running)
        for process in processes:
            process.wait()
            self.forget(process)


CHILDREN = Children()


@contextlib.contextmanager
def stopping_on_signals():
    """While the block runs, SIGINT and SIGTERM stop the children and raise Stopped in the main
    thread (so that `finally` blocks remove temporary folders). Forked workers (record pages
    rendered in parallel) inherit the handler: in them the signal does what it does by default."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def handler(signum, frame):
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        CHILDREN.stop(signum)
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)
        if CHILDREN.stopping is not None:
            CHILDREN.wait()  # none outlives the command
        CHILDREN.stopping = None  # a later command in this process (the tests) may start children again
