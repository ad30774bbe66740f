"""The last site, made ready for a quick rebuild while the check runs.

A quick rebuild (generator.quickbuild) starts from the last site: every one of its files
hard-linked into the new site's folder, and each file's content digest compared with
the snapshot's (a file edited by hand is not published again). At 2,000 documents that
is a second of reading and linking, which needs nothing the check finds: a child process
does it on the other core while the check runs. What it hands back is the marks of the
files it linked (snapshot.site_marks of the new folder), so the comparison is about the
very files the new site holds; the build makes none of it its own unless the quick
rebuild goes ahead (a whole build empties the folder first).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from . import forked
from .snapshot import Mark, site_marks


@dataclass
class Linked:
    """What the child did: the new folder's marks (as snapshot.site_marks gives them)
    and the files' marks by inode."""

    marks: dict[str, Mark]
    known: dict[int, Mark]


class Prefetch:
    """The child process linking ``last`` into ``work`` and reading the marks."""

    def __init__(self, last: Path, work: Path) -> None:
        self.last, self.work = last, work
        self._done: Linked | None = None

        def link_and_read() -> Linked:
            link_tree(last, work)
            return Linked(*site_marks(work))

        self._child = forked.start(link_and_read)

    def result(self) -> Linked | None:
        """The child's work once it is done; None when it failed or never ran."""
        if self._child is not None:
            done, found = self._child.result()
            self._child = None
            if done and isinstance(found, Linked):
                self._done = found
        return self._done


def link_tree(source: Path, dest: Path) -> None:
    """Every file of the last site, hard-linked into the new folder (a file already
    there, such as the folder's marker, stays)."""
    top = str(source)
    for here, _dirs, names in os.walk(top):
        rel = os.path.relpath(here, top)
        into = str(dest) if rel == "." else os.path.join(dest, rel)
        if rel != ".":
            with contextlib.suppress(FileExistsError):
                os.mkdir(into)
        for name in names:
            with contextlib.suppress(FileExistsError):
                os.link(os.path.join(here, name), os.path.join(into, name))
