"""The processes a benchmark starts: their session, memory high-water mark, CPU time,
and how to stop them and their workers whatever happens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


def session_pids(sid: int) -> list[int]:
    """The processes of a session (a command started with start_new_session, and its
    workers)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid:  # field 6 of stat: the session id
            pids.append(int(entry))
    return pids


def _proc_kb(pid: int, file: str, field: str) -> int:
    """A field in kB of a /proc/PID file (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def vm_hwm_kb(pid: int) -> int:
    return _proc_kb(pid, "status", "VmHWM:")


def pss_kb(pid: int) -> int:
    """The process's proportional share of memory: pages shared with forked workers
    counted once across them (VmHWM counts them in each)."""
    return _proc_kb(pid, "smaps_rollup", "Pss:")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Memory:
    """Samples VmHWM of a session's processes every 0.2 s until stopped, and the sum of
    their proportional shares (PSS: memory shared by forked workers counted once)."""

    sid: int
    peaks: dict[int, int] = field(default_factory=dict)
    pss_peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        pids = session_pids(self.sid)
        for pid in pids:
            self.peaks[pid] = max(self.peaks.get(pid, 0), vm_hwm_kb(pid))
        self.pss_peak = max(self.pss_peak, sum(pss_kb(pid) for pid in pids))

    def __enter__(self) -> Memory:
        def loop() -> None:
            while not self._stop.wait(0.2):
                self.sample()

        self.sample()
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(sum(self.peaks.values()) / 1024, 1)

    @property
    def pss_peak_mb(self) -> float:
        return round(self.pss_peak / 1024, 1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a command started in its own session, and its workers: INT first (Ctrl-C:
    ``mkdocs serve`` then removes its temporary site), then TERM, then KILL."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None and not session_pids(proc.pid):
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + 5
        while session_pids(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
