"""One visibility filter for every published text: the ids and titles of confidential
documents and records never appear in the portal, its search index, the exports or
the audit pack (unless ``--include-confidential``). A finding about a confidential
item is left out; a finding that merely names one has the name replaced by
"一份保密文件" ("a confidential document").

It takes the confidential items, not the rules that chose them, so that the one
object deciding what is published can hand them over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .findings import Finding
from .i18n import Msg, text
from .model import Corpus, Document, Record


@dataclass(frozen=True)
class Redaction:
    ids: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    lang: str = "zh"

    @classmethod
    def of(cls, items: Iterable[Document | Record], lang: str = "zh") -> Redaction:
        """The redaction of these (confidential) documents and records."""
        secret = list(items)
        return cls(
            frozenset(i.id for i in secret if i.id),
            frozenset(i.title for i in secret if i.title and i.title.strip()),
            frozenset(i.path for i in secret),
            lang,
        )

    @classmethod
    def confidential(cls, corpus: Corpus, lang: str = "zh") -> Redaction:
        """Every confidential document (any version in effect too) and record."""
        items: list[Document | Record] = [
            *corpus.documents,
            *corpus.in_effect.values(),
            *corpus.records,
        ]
        secret = [i for i in items if i.classification == "confidential"]
        ids = {i.id for i in secret if i.id}
        # a document confidential in one version is confidential in all
        seen = {id(i) for i in secret}
        secret += [i for i in items if i.id in ids and id(i) not in seen]
        return cls.of(secret, lang)

    def __bool__(self) -> bool:
        return bool(self.ids or self.titles or self.paths)

    @property
    def placeholder(self) -> str:
        return text("ui.redacted", self.lang)

    def text(self, value: str) -> str:
        """``value`` with every confidential id and title replaced."""
        if not self or not value:
            return value
        for name in sorted(self.ids | self.titles, key=len, reverse=True):
            if name in value:
                value = value.replace(name, self.placeholder)
        return value

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list | tuple):
            return type(value)(self.value(v) for v in value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, Msg):
            return Msg(value.key, {k: self.value(v) for k, v in value.params.items()})
        return value

    def about_secret(self, finding: Finding) -> bool:
        return (finding.id is not None and finding.id in self.ids) or finding.file in self.paths

    def finding(self, finding: Finding) -> Finding | None:
        """None for a finding about a confidential item; else the finding, names redacted."""
        if self.about_secret(finding):
            return None
        if not self:
            return finding
        return replace(finding, params=self.value(dict(finding.params)))

    def findings(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in (self.finding(x) for x in findings) if f is not None]
