"""The edit loop: how long a document controller waits, on one synthetic corpus, for

  (a) a cold ``itsms build`` (no ``.cache/``) and its peak memory;
  (b) a second ``itsms build`` after one body edit (with the build cache, where there is one);
  (c) ``itsms serve`` to serve its home page, and its peak memory over the whole run;
  (d) 10 body edits (``--edits``): from the saved file until the served document page shows the new
      sentence;
  (e) 10 metadata edits (a new title, one clause exchanged for another): until the new
      title shows on every page where the old one was (the document, the register, the
      clause trace of the new clause, roles, RACI, ...) and the old clause's trace page
      no longer lists the document.

    python bench/serve.py --size M [--preview] [--timeout 120] [--keep]

Everything runs on a temporary copy of bench/corpus-SIZE (made if missing) under
bench/out/, removed at the end unless ``--keep``; the serve process is killed whatever
happens (Ctrl-C included). The edited documents are bench/corpus.py's editable ones
(approved on paper, not sealed, cited by none), so every edit leaves the repository
valid; the check that ends the run says so. Prints a table and writes
bench/out/serve-SIZE.json. An edit not visible after ``--timeout`` seconds counts as
timed out (the worst figure says so) and the run goes on.

Peak memory is the sum of the high-water marks (VmHWM) of the command's processes
(the command and its workers), sampled every 0.2 s; and the peak of the sum of their
proportional shares (PSS), which counts once what forked workers share with the build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.corpus import AS_OF, SIZES, editable_ids, generate  # noqa: E402
from bench.procs import Memory, cpu_seconds, free_port, session_pids, stop  # noqa: E402
from generator.i18n import text  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
ENV.pop("ITSMS_NO_CACHE", None)
POLL = 0.03  # seconds between two polls of the served pages
EDITS = 10
SETTLE = 15.0  # at most this many seconds waiting for a quiet server between edits


# --- pure helpers (tests/test_bench.py) ---------------------------------------------


def summary(seconds: list[float | None]) -> dict[str, Any]:
    """Median and worst of edit latencies; ``None`` is an edit that timed out (it is the
    worst, and the median counts it as longer than any other)."""
    done = sorted(s for s in seconds if s is not None)
    timed_out = len(seconds) - len(done)
    ranked: list[float] = done + [float("inf")] * timed_out
    median = statistics.median(ranked) if ranked else None
    return {
        "edits": len(seconds),
        "timed_out": timed_out,
        "median_s": None if median is None or median == float("inf") else round(median, 2),
        "worst_s": None if timed_out or not done else round(done[-1], 2),
        "all_s": [None if s is None else round(s, 3) for s in seconds],
    }


def fmt(s: dict[str, Any]) -> str:
    """``0.84 / 1.3 s`` or ``timed out`` pieces for the table."""
    median = "timed out" if s["median_s"] is None else f"{s['median_s']} s"
    worst = f"{s['timed_out']} timed out" if s["timed_out"] else f"{s['worst_s']} s"
    return f"{median} / {worst}"


def split_page(text: str) -> tuple[dict[str, Any], str]:
    """A corpus document's front matter (parsed) and its body, byte for byte."""
    match = re.match(r"---\n(.*?\n)---\n", text, re.S)
    if match is None:
        raise ValueError("no front matter")
    meta = yaml.safe_load(match[1])
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[match.end() :]


def join_page(meta: dict[str, Any], body: str) -> str:
    """The inverse of split_page, in bench/corpus.py's format."""
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}"


def with_sentence(text: str, sentence: str) -> str:
    """The document with one more paragraph at the end of its body."""
    return text.rstrip("\n") + f"\n\n{sentence}\n"


def with_metadata(text: str, title: str, old_clause: str, new_clause: str) -> str:
    """The document with a new title and ``old_clause`` exchanged for ``new_clause``."""
    meta, body = split_page(text)
    clauses = [str(c) for c in meta.get("clauses") or []]
    if old_clause not in clauses or new_clause in clauses:
        raise ValueError(f"cannot exchange {old_clause} for {new_clause} in {clauses}")
    meta["title"] = title
    meta["clauses"] = sorted({*clauses, new_clause} - {old_clause})
    return join_page(meta, body)


def plan_clauses(
    clauses: dict[str, list[str]], edited: list[str], leaves: list[str]
) -> list[tuple[str, str]]:
    """For each edited document in turn, a clause it can give up (another document still
    meets it, after the earlier exchanges) and a leaf it does not meet yet."""
    meeting: dict[str, set[str]] = {}
    for doc, cited in clauses.items():
        for clause in cited:
            meeting.setdefault(clause, set()).add(doc)
    plan = []
    for n, doc in enumerate(edited):
        mine = clauses[doc]
        old = next((c for c in mine if len(meeting.get(c, set())) > 1), None)
        if old is None:
            raise ValueError(f"{doc}: every clause it meets would be left uncovered")
        candidates = [leaf for leaf in leaves if leaf not in mine]
        new = candidates[(7 * n + 3) % len(candidates)]
        meeting[old].discard(doc)
        meeting.setdefault(new, set()).add(doc)
        clauses[doc] = sorted({*mine, new} - {old})
        plan.append((old, new))
    return plan


def contains(needle: str) -> Callable[[str], bool]:
    return lambda text: needle in text


def lacks(needle: str) -> Callable[[str], bool]:
    return lambda text: needle not in text


def page_url(base: str, html: str) -> str:
    """The served URL of a built file: ``register/index.html`` -> ``BASE/register/``."""
    path = html.removesuffix("index.html")
    return base + path


def build(root: Path, site: Path) -> dict[str, float]:
    """Wall seconds and peak memory of one ``itsms build``."""
    cmd = [str(BIN / "itsms"), "build", "--root", str(root), "--as-of", AS_OF.isoformat()]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*cmd, "--site-dir", str(site)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        with Memory(proc.pid) as memory:
            out, err = proc.communicate()
    finally:
        stop(proc)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"itsms build failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return {
        "seconds": round(wall, 2),
        "peak_mb": memory.peak_mb,
        "pss_peak_mb": memory.pss_peak_mb,
        "quick": QUICK_SAID in out.decode("utf-8", "replace"),
    }


#: what ``itsms build`` says (in Chinese, its default) when it made a quick rebuild
QUICK_SAID = text("ui.built_quick", "zh", remade="\0").split("\0")[0]


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy


def fetch(url: str, timeout: float) -> str | None:
    """A served page's text, or None (not there yet, or the server is busy)."""
    try:
        with OPENER.open(url, timeout=max(timeout, 0.1)) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError):
        return None


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    base: str
    memory: Memory
    log: Path

    def alive(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise SystemExit(f"itsms serve ended ({self.proc.returncode}):\n{tail}")

    def settle(self, limit: float = SETTLE) -> None:
        """Wait (up to ``limit`` seconds) until the server is about idle, below 30% of a
        core for 0.5 s (a file watcher that polls may use some all the time): an edit is
        timed from a quiet server, not from the tail of the previous rebuild."""
        deadline = time.monotonic() + limit
        before = cpu_seconds(session_pids(self.proc.pid))
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = cpu_seconds(session_pids(self.proc.pid))
            if now - before < 0.15:
                return
            before = now


@contextmanager
def serving(root: Path, port: int, preview: bool, startup: float, log: Path) -> Iterator[Served]:
    """``itsms serve`` on ROOT until its home page is served; always stopped after."""
    cmd = [
        str(BIN / "itsms"),
        "serve",
        "--root",
        str(root),
        "--as-of",
        AS_OF.isoformat(),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    if preview:
        cmd.append("--preview")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        with Memory(proc.pid) as memory:
            served = Served(proc, f"http://127.0.0.1:{port}/", memory, log)
            deadline = time.monotonic() + startup
            while fetch(served.base, 5) is None:
                served.alive()
                if time.monotonic() > deadline:
                    raise SystemExit(f"itsms serve did not serve its home page in {startup} s")
                time.sleep(0.2)
            yield served
            memory.sample()
    finally:
        stop(proc)


def write(path: Path, text: str) -> float:
    """Save like an editor that writes a whole file (temp + fsync + rename); the
    monotonic time the new file is in place."""
    tmp = path.parent.parent / f".bench-{path.name}.tmp"
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return time.monotonic()


Check = tuple[str, Callable[[str], bool]]


def visible(served: Served, checks: list[Check], start: float, timeout: float) -> float | None:
    """Seconds from ``start`` until every check holds on its page (each page is polled
    until it holds once), or None after ``timeout``."""
    pending = list(checks)
    deadline = start + timeout
    while pending:
        served.alive()
        url, holds = pending[0]
        text = fetch(url, deadline - time.monotonic())
        if text is not None and holds(text):
            pending.pop(0)
            continue
        if time.monotonic() > deadline:
            return None
        time.sleep(POLL)
    return time.monotonic() - start


def pages_with(site: Path, needles: dict[str, str]) -> dict[str, list[str]]:
    """For each key, the built HTML pages (relative paths) that contain its needle."""
    found: dict[str, list[str]] = {key: [] for key in needles}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for key, needle in needles.items():
            if needle in text:
                found[key].append(page.relative_to(site).as_posix())
    return found


def leaves() -> list[str]:
    from generator.standards import load_standard

    return [c.id for c in load_standard("iso20000-1:2011").leaves]


def corpus_clauses(root: Path) -> dict[str, list[str]]:
    out = {}
    for page in sorted((root / "procedures").glob("*.md")):
        meta, _ = split_page(page.read_text(encoding="utf-8"))
        out[str(meta["id"])] = [str(c) for c in meta.get("clauses") or []]
    return out


def shown(seconds: float | None) -> str:
    return "timed out" if seconds is None else f"{seconds:.2f} s"


def body_edits(
    served: Served, docs: dict[str, Path], edits: int, token: str, timeout: float
) -> list[float | None]:
    """Each edit adds a sentence to a document; timed until its page shows it."""
    times: list[float | None] = []
    names = list(docs)
    for n in range(edits):
        doc = names[n % len(names)]
        marker = f"bench{token}body{n}"
        url = page_url(served.base, f"procedures/{doc}/index.html")
        text = with_sentence(docs[doc].read_text("utf-8"), f"基准修改第{n + 1}次 {marker}。")
        seconds = visible(served, [(url, contains(marker))], write(docs[doc], text), timeout)
        times.append(seconds)
        print(f"    {doc}: {shown(seconds)}", flush=True)
        served.settle(SETTLE if seconds is not None else timeout)
    return times


def metadata_edits(
    served: Served,
    docs: dict[str, Path],
    pages: dict[str, list[str]],
    edits: int,
    token: str,
    timeout: float,
) -> tuple[list[float | None], list[int]]:
    """Each edit gives a document a new title and exchanges one of its clauses; timed
    until every page that showed its title (``pages``) and the new clause's trace show
    the new one, and the old clause's trace no longer lists the document. Returns the
    times and the number of pages each edit waited for."""
    names = [list(docs)[n % len(docs)] for n in range(edits)]
    root = next(iter(docs.values())).parent.parent
    plan = plan_clauses(corpus_clauses(root), names, leaves())
    times: list[float | None] = []
    polled: list[int] = []
    for n, (doc, (old, new)) in enumerate(zip(names, plan, strict=True)):
        title = f"基准修订程序（{token}meta{n}）"
        old_page = f"clauses/{old}/index.html"
        targets = [f"procedures/{doc}/index.html", "register/index.html"]
        targets += [f"clauses/{new}/index.html"]
        targets += [p for p in pages[doc] if p not in targets and p != old_page]
        checks: list[Check] = [(page_url(served.base, p), contains(title)) for p in targets]
        checks.append((page_url(served.base, old_page), lacks(f"procedures/{doc}/")))
        text = with_metadata(docs[doc].read_text("utf-8"), title, old, new)
        seconds = visible(served, checks, write(docs[doc], text), timeout)
        times.append(seconds)
        polled.append(len(checks))
        pages[doc] = targets
        print(f"    {doc} {old} -> {new}, {len(checks)} pages: {shown(seconds)}", flush=True)
        served.settle(SETTLE if seconds is not None else timeout)
    return times, polled


def copy_corpus(size: str, work: Path) -> Path:
    """A copy of bench/corpus-SIZE (generated if missing) to edit."""
    corpus = HERE / f"corpus-{size}"
    if not (corpus / "mkdocs.yml").is_file():
        print(f"generating corpus {size} ...", flush=True)
        generate(size, corpus)
    for doc in editable_ids(size):
        meta, _ = split_page((corpus / "procedures" / f"{doc}.md").read_text(encoding="utf-8"))
        if "fingerprint" in meta:
            raise SystemExit(f"{corpus} is older than bench/serve.py: run bench/corpus.py")
    print(f"copying the corpus to {work} ...", flush=True)
    shutil.copytree(corpus, work / "repo", ignore=shutil.ignore_patterns(".cache", "site"))
    return work / "repo"


def run(size: str, edits: int, preview: bool, timeout: float, keep: bool) -> dict[str, Any]:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"serve-{size}-", dir=out))
    token = os.urandom(3).hex()
    result: dict[str, Any] = {
        "size": size,
        "documents": SIZES[size][0],
        "records": SIZES[size][1],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}",
        "date": time.strftime("%Y-%m-%d"),
        "preview": preview,
    }
    try:
        root = copy_corpus(size, work)
        docs = {doc: root / "procedures" / f"{doc}.md" for doc in editable_ids(size)}
        print("(a) cold itsms build ...", flush=True)
        site = work / "site"
        result["cold_build"] = build(root, site)
        titles = {doc: str(split_page(p.read_text("utf-8"))[0]["title"]) for doc, p in docs.items()}
        pages = pages_with(site, titles)
        print("(b) itsms build after one body edit ...", flush=True)
        first = next(iter(docs.values()))
        write(first, with_sentence(first.read_text("utf-8"), f"基准重建修改 rebuild{token}。"))
        result["rebuild_after_edit"] = build(root, site)
        result["rebuild_over_cold"] = round(
            result["rebuild_after_edit"]["seconds"] / result["cold_build"]["seconds"], 3
        )
        print("(c) itsms serve ...", flush=True)
        started = time.monotonic()
        with serving(root, free_port(), preview, max(timeout, 1800), work / "serve.log") as served:
            result["serve_start_s"] = round(time.monotonic() - started, 2)
            served.settle()
            print("(d) body edits ...", flush=True)
            result["body_edit"] = summary(body_edits(served, docs, edits, token, timeout))
            print("(e) metadata edits ...", flush=True)
            times, polled = metadata_edits(served, docs, pages, edits, token, timeout)
            result["metadata_edit"] = summary(times)
            result["metadata_pages_polled"] = polled
            result["serve_peak_mb"] = served.memory.peak_mb
            result["serve_pss_peak_mb"] = served.memory.pss_peak_mb
        print("(f) itsms check on the edited copy ...", flush=True)
        check = subprocess.run(
            [str(BIN / "itsms"), "check", "--root", str(root), "--as-of", AS_OF.isoformat()],
            env=ENV,
            capture_output=True,
            text=True,
        )
        result["valid_after_edits"] = check.returncode == 0
        result["check_summary"] = (check.stdout.strip().splitlines() or [""])[-1]
    finally:
        if keep:
            print(f"kept {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    (out / f"serve-{size}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), "utf-8"
    )
    return result


def _mb(run: dict[str, Any]) -> str:
    """Peak memory: the sum of the processes' high-water marks, and the peak of their
    proportional shares (PSS: what forked workers share counted once)."""
    pss = run.get("pss_peak_mb")
    return f"{run['peak_mb']} MB" + (f" (PSS {pss} MB)" if pss is not None else "")


def table(r: dict[str, Any]) -> str:
    cold, again, body, meta = (
        r["cold_build"],
        r["rebuild_after_edit"],
        r["body_edit"],
        r["metadata_edit"],
    )
    pages = r["metadata_pages_polled"]
    lines = [
        f"size {r['size']}: {r['documents']} documents, {r['records']} records "
        f"({r['machine']}, {r['date']}{', --preview' if r['preview'] else ''})",
        f"(a) cold itsms build              {cold['seconds']:>8} s  peak {_mb(cold)}",
        f"(b) itsms build after a body edit {again['seconds']:>8} s  peak {_mb(again)}"
        f"  ({round(100 * r['rebuild_over_cold'])}% of cold; target <= 10%;"
        f" {'a quick rebuild' if again.get('quick') else 'a whole build'})",
        f"(c) itsms serve: home page after  {r['serve_start_s']:>8} s  peak "
        f"{_mb({'peak_mb': r['serve_peak_mb'], 'pss_peak_mb': r.get('serve_pss_peak_mb')})}"
        " over the run",
        f"(d) {body['edits']} body edits visible, median / worst: {fmt(body)}"
        " (target at L <= 1 / 2 s)",
        f"(e) {meta['edits']} metadata edits visible, median / worst: {fmt(meta)}"
        f" on {min(pages)}-{max(pages)} pages (target at L: median <= 3 s)",
        f"repository valid after the edits: {'yes' if r['valid_after_edits'] else 'NO'}"
        f" ({r['check_summary']})",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="itsms edit-loop benchmark")
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--preview", action="store_true", help="serve with --preview")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per edit")
    parser.add_argument("--edits", type=int, default=EDITS, help="edits of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up as on Ctrl-C
    try:
        print(table(run(args.size, args.edits, args.preview, args.timeout, args.keep)))
    except KeyboardInterrupt:
        sys.exit("interrupted: itsms serve stopped, the temporary copy removed")


if __name__ == "__main__":
    main()
