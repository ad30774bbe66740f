"""Who refers to whom among documents: their `references` and the citations in their
text, both ways. Shared by the portal (related documents) and `itsms trace`."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Document
from .rules.references import citations


class Relations:
    def __init__(self, documents: Iterable[Document], known: set[str], id_pattern: str) -> None:
        """``known``: the ids that may be named (e.g. what a build publishes)."""
        self.refers: dict[str, list[str]] = {}
        self.referred_by: dict[str, list[str]] = {}
        for doc in documents:
            if not doc.id:
                continue
            targets: list[str] = []
            named = [r.value for r in doc.references] + [c.ref for c in citations(doc, id_pattern)]
            for value in named:
                if value != doc.id and value in known and value not in targets:
                    targets.append(value)
            self.refers[doc.id] = targets
            for target in targets:
                self.referred_by.setdefault(target, []).append(doc.id)
