"""The benchmark: on one synthetic corpus, in one run, wall time and peak memory of

  (a) the floor: reading every file and parsing its front matter with PyYAML's C loader;
  (b) itsms check;
  (c) a bare ``mkdocs build`` of the same Markdown pages (Material, Chinese search);
  (d) itsms build;

and the size of each published site and search index. Prints a table with the ratios
b/a and d/c and writes it as JSON (bench/out/results-SIZE.json). (b) and (d) are cold:
each run starts without the corpus's .cache/. The edit loop (rebuild after an edit,
``itsms serve``) is bench/serve.py's.

    python bench/run.py --size M [--browser]

``--browser`` also measures, in headless Chromium, the search index's download size and
the time from typing a Chinese query to the first result.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.corpus import AS_OF, SIZES, generate  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
ENV.pop("ITSMS_NO_CACHE", None)


def measure(cmd: list[str], cwd: Path | None = None) -> dict[str, float]:
    """Wall seconds and peak resident memory (MB) of a command and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}):\n{stderr[-2000:]}")
    return {"seconds": round(wall, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def best(cmd: list[str], runs: int, cold: Path | None = None) -> dict[str, float]:
    """The fastest of ``runs`` (the machine is shared: the minimum is the signal); with
    ``cold``, each run starts without that repository's caches (.cache/), so the
    fastest is still a cold run (bench/serve.py measures the warm rebuild)."""
    results = []
    for _ in range(runs):
        if cold is not None:
            shutil.rmtree(cold / ".cache", ignore_errors=True)
        results.append(measure(cmd))
    return min(results, key=lambda r: r["seconds"])


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bare_project(corpus: Path, work: Path) -> Path:
    """The same Markdown pages for a plain MkDocs build: no itsms plugin."""
    if work.exists():
        shutil.rmtree(work)
    docs = work / "docs"
    (docs / "procedures").mkdir(parents=True)
    for page in sorted((corpus / "procedures").glob("*.md")):
        shutil.copyfile(page, docs / "procedures" / page.name)
    shutil.copyfile(corpus / "content/index.md", docs / "index.md")
    (work / "mkdocs.yml").write_text(
        "site_name: 基准门户\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\n",
        "utf-8",
    )
    return work


LISTING = re.compile(r'<div class="itsms-records">.*?</table></div>', re.S)


def page_bytes(site: Path, folder: str, without_listing: bool = False) -> float:
    """Average size of the document pages; optionally less their records listing (which
    grows with records per document: 10 at S, 40 at M, 50 at L)."""
    pages = [p for p in (site / folder).rglob("*.html")]
    total = 0
    for page in pages:
        if without_listing:
            total += len(LISTING.sub("", page.read_text(encoding="utf-8")).encode("utf-8"))
        else:
            total += page.stat().st_size
    return round(total / max(len(pages), 1))


def browser_search(site: Path, query: str) -> dict[str, Any]:
    """Index download size and milliseconds from typing to the first result, in Chromium."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page()
            page.on(
                "response",
                lambda r: (
                    sizes.__setitem__(r.url, len(r.body())) if "search_index" in r.url else None
                ),
            )
            start = time.perf_counter()
            page.goto(url)
            page.fill("input.md-search__input", "程序")
            page.press("input.md-search__input", "End")
            page.wait_for_selector(".md-search-result__item", timeout=300_000)
            ready = time.perf_counter() - start
            page.fill("input.md-search__input", "")
            page.press("input.md-search__input", "End")
            start = time.perf_counter()
            page.fill("input.md-search__input", query)
            page.press("input.md-search__input", "End")
            page.wait_for_function(
                "q => { const m = document.querySelector('.md-search-result__meta');"
                " return document.querySelector('.md-search-result__item') && m"
                " && !/键入/.test(m.textContent); }",
                arg=query,
                timeout=120_000,
            )
            first = time.perf_counter() - start
            browser.close()
    finally:
        server.shutdown()
    return {
        "index_download_mb": round(sum(sizes.values()) / 1e6, 2),
        "index_ready_s": round(ready, 2),
        "first_result_ms": round(first * 1000),
    }


def run(size: str, runs: int, browser: bool) -> dict[str, Any]:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    corpus = HERE / f"corpus-{size}"
    if not (corpus / "mkdocs.yml").is_file():
        print(f"generating corpus {size} ...", flush=True)
        generate(size, corpus)
    bare = bare_project(corpus, out / f"bare-{size}")
    itsms = str(BIN / "itsms")
    as_of = AS_OF.isoformat()
    print("(a) floor ...", flush=True)
    floor = best([sys.executable, str(HERE / "floor.py"), str(corpus)], runs)
    print("(b) itsms check ...", flush=True)
    check = best(
        [itsms, "check", "--root", str(corpus), "--as-of", as_of, "--format", "json"],
        runs,
        corpus,
    )
    print("(c) bare mkdocs build ...", flush=True)
    mkdocs = best(
        [
            str(BIN / "mkdocs"),
            "build",
            "-q",
            "-f",
            str(bare / "mkdocs.yml"),
            "-d",
            str(bare / "site"),
        ],
        max(1, runs - 1),
    )
    print("(d) itsms build ...", flush=True)
    site = out / f"site-{size}"
    build = best(
        [itsms, "build", "--root", str(corpus), "--as-of", as_of, "--site-dir", str(site)],
        max(1, runs - 1),
        corpus,
    )
    n_docs, n_records = SIZES[size]
    result: dict[str, Any] = {
        "size": size,
        "documents": n_docs,
        "records": n_records,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}",
        "floor": floor,
        "check": check,
        "mkdocs": mkdocs,
        "build": build,
        "check_over_floor": round(check["seconds"] / floor["seconds"], 2),
        "build_over_mkdocs": round(build["seconds"] / mkdocs["seconds"], 2),
        "site_mb": {
            "mkdocs": round(dir_size(bare / "site") / 1e6, 1),
            "itsms": round(dir_size(site) / 1e6, 1),
        },
        "search_index_mb": {
            "mkdocs": round((bare / "site/search/search_index.json").stat().st_size / 1e6, 2),
            "itsms": round((site / "search/search_index.json").stat().st_size / 1e6, 2),
        },
        "bytes_per_document_page": {
            "mkdocs": page_bytes(bare / "site", "procedures"),
            "itsms": page_bytes(site, "procedures"),
            "itsms_without_records_listing": page_bytes(site, "procedures", True),
        },
    }
    if browser:
        print("(e) search in Chromium ...", flush=True)
        result["browser"] = browser_search(site, "管理程序")
    (out / f"results-{size}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), "utf-8"
    )
    return result


def table(r: dict[str, Any]) -> str:
    rows = [
        ("(a) floor: read + C YAML", r["floor"]),
        ("(b) itsms check", r["check"]),
        ("(c) bare mkdocs build", r["mkdocs"]),
        ("(d) itsms build", r["build"]),
    ]
    lines = [
        f"size {r['size']}: {r['documents']} documents, {r['records']} records ({r['machine']})",
        f"{'':28} {'seconds':>9} {'peak MB':>9}",
    ]
    lines += [f"{name:28} {m['seconds']:>9} {m['peak_mb']:>9}" for name, m in rows]
    lines.append(f"check / floor   = {r['check_over_floor']} (target <= 1.5)")
    lines.append(f"build / mkdocs  = {r['build_over_mkdocs']} (target <= 1.25)")
    lines.append(f"site MB         mkdocs {r['site_mb']['mkdocs']}, itsms {r['site_mb']['itsms']}")
    lines.append(
        f"search index MB mkdocs {r['search_index_mb']['mkdocs']}, "
        f"itsms {r['search_index_mb']['itsms']}"
    )
    pages = r["bytes_per_document_page"]
    lines.append(
        f"bytes per document page: mkdocs {pages['mkdocs']}, itsms {pages['itsms']} "
        f"({pages.get('itsms_without_records_listing', '?')} without its records listing)"
    )

    if "browser" in r:
        b = r["browser"]
        lines.append(
            f"browser: index {b['index_download_mb']} MB, ready in {b['index_ready_s']} s, "
            f"first result {b['first_result_ms']} ms after typing"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="itsms benchmark")
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the fastest counts")
    parser.add_argument("--browser", action="store_true", help="also measure search in Chromium")
    args = parser.parse_args()
    print(table(run(args.size, args.runs, args.browser)))


if __name__ == "__main__":
    main()
