"""What an import did: counts per record type and the problems found, each with its file
and line, rendered as the summary the management command prints."""

from collections import defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "skipped")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not a CSV, unknown columns...)."""


class RowError(Exception):
    """One row cannot be imported; the message says why, in words a data editor understands."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    record: str  # the record's id in the source, "" when it has none
    message: str
    skipped: bool  # True: the row was not imported; False: imported, with this note

    def __str__(self):
        where = f"{self.file} line {self.line}"
        if self.record:
            where += f" (id {self.record})"
        action = "skipped" if self.skipped else "imported"
        return f"{where}: {action}: {self.message}"


@dataclass
class ImportReport:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(OUTCOMES, 0)))
    problems: list = field(default_factory=list)

    def count(self, label, outcome):
        self.counts[label][outcome] += 1

    def add_problem(self, file, line, record, message, skipped):
        self.problems.append(Problem(file, line, str(record or ""), message, skipped))

    @property
    def skipped(self):
        return [problem for problem in self.problems if problem.skipped]

    @property
    def notes(self):
        return [problem for problem in self.problems if not problem.skipped]

    def total(self, outcome):
        return sum(counts[outcome] for counts in self.counts.values())

    def lines(self):
        heading = "Dry run: nothing was written." if self.dry_run else "Import finished."
        lines = [heading]
        for label, counts in self.counts.items():
            figures = ", ".join(f"{counts[outcome]} {outcome}" for outcome in OUTCOMES)
            lines.append(f"  {label}: {figures}")
        if self.skipped:
            lines.append(f"Rows skipped ({len(self.skipped)}):")
            lines.extend(f"  {problem}" for problem in self.skipped)
        if self.notes:
            lines.append(f"Rows imported with a note ({len(self.notes)}):")
            lines.extend(f"  {problem}" for problem in self.notes)
        return lines
