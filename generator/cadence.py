"""Calendar periods of a record type's cadence (``every``) across the audit period.

Periods are calendar periods: ISO weeks (``2026-W05``), months (``2026-08``), quarters
(``2026-Q3``), half-years (``2026-H1``) and years (``2026``). Every period that overlaps
the audit period is listed; one is *due* when it lies wholly inside the audit period and
has ended by the as-of date. A due period without a record is a gap; a period cut by
either end of the audit period (partial), or one still running (open), is shown but
never a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .settings import Period, add_months

if TYPE_CHECKING:
    from .model import Document, Record, RecordType

#: months per period for the month-based cadences
_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


@dataclass
class Slot:
    """One period of a cadence and the records dated in it."""

    label: str
    start: dt.date
    end: dt.date
    due: bool
    #: cut by the start or the end of the audit period
    partial: bool = False
    records: list[Record] = field(default_factory=list)

    @property
    def state(self) -> str:
        """present; missing (due, no record); partial (cut by the audit period, no
        record); open (still running, no record)."""
        if self.records:
            return "present"
        if self.due:
            return "missing"
        return "partial" if self.partial else "open"


@dataclass
class Cadence:
    """A declared record type with a cadence, laid out over the audit period."""

    document: Document
    type: RecordType
    slots: list[Slot]

    @property
    def every(self) -> str:
        return self.type.every or ""

    @property
    def missing(self) -> list[Slot]:
        return [s for s in self.slots if s.state == "missing"]

    @property
    def due(self) -> int:
        return sum(1 for s in self.slots if s.due)

    @property
    def present_due(self) -> int:
        return sum(1 for s in self.slots if s.due and s.records)


def _label(every: str, start: dt.date) -> str:
    if every == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if every == "month":
        return f"{start.year}-{start.month:02d}"
    if every == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if every == "half-year":
        return f"{start.year}-H{1 if start.month <= 6 else 2}"
    return str(start.year)


def periods(every: str, period: Period) -> list[tuple[str, dt.date, dt.date]]:
    """(label, first day, last day) of each calendar period overlapping ``period``."""
    out: list[tuple[str, dt.date, dt.date]] = []
    if every == "week":
        start = period.start - dt.timedelta(days=period.start.weekday())
        while start <= period.end:
            end = start + dt.timedelta(days=6)
            out.append((_label(every, start), start, end))
            start = end + dt.timedelta(days=1)
        return out
    months = _MONTHS.get(every)
    if months is None:
        return out
    month0 = (period.start.month - 1) // months * months + 1
    start = dt.date(period.start.year, month0, 1)
    while start <= period.end:
        nxt = add_months(start, months)
        out.append((_label(every, start), start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


def lay_out(
    doc: Document,
    rtype: RecordType,
    records: Iterable[Record],
    period: Period,
    as_of: dt.date,
) -> Cadence | None:
    """The cadence row of ``rtype`` (None for ``event`` or no cadence)."""
    if rtype.every is None or rtype.every not in _MONTHS and rtype.every != "week":
        return None
    slots = [
        Slot(
            label,
            start,
            end,
            due=period.start <= start and end <= min(period.end, as_of),
            partial=start < period.start or end > period.end,
        )
        for label, start, end in periods(rtype.every, period)
    ]
    for rec in records:
        if rec.date is None or rec.date > as_of:
            continue
        for slot in slots:
            if slot.start <= rec.date <= slot.end:
                slot.records.append(rec)
                break
    return Cadence(doc, rtype, slots)
