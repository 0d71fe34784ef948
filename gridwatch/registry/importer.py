"""Import a registry CSV file: decode, validate row by row, upsert the good rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gridwatch.registry.encoding import AUTO, decode
from gridwatch.registry.parse import parse_csv
from gridwatch.registry.record import RowProblem
from gridwatch.registry.store import Progress, RegistryStore


@dataclass
class ImportReport:
    encoding: str
    rows: int
    imported: int
    updated: int
    unchanged: int
    rejected: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def summary(self, first: int = 10) -> str:
        lines = [
            f"{self.rows} row(s) read ({self.encoding}): {self.imported} imported, {self.updated} "
            f"updated, {self.unchanged} unchanged, {len(self.rejected)} rejected, "
            f"{len(self.warnings)} warning(s)"
        ]
        for title, items in (("rejected", self.rejected), ("warning", self.warnings)):
            lines += [f"  {title}: {p}" for p in items[:first]]
            if len(items) > first:
                lines.append(f"  … and {len(items) - first} more {title} row(s)")
        return "\n".join(lines)


def import_csv(
    path: Path, store: RegistryStore, encoding: str = AUTO, progress: Progress | None = None
) -> ImportReport:
    """Import every good row of ``path``; bad rows are reported, never silently dropped."""
    decoded = decode(path.read_bytes(), encoding)
    parsed = parse_csv(decoded.text)
    result = store.upsert(parsed.records, progress)
    rejected = sorted([*parsed.problems, *result.problems], key=lambda p: p.line)
    return ImportReport(
        encoding=decoded.encoding, rows=len(parsed.records) + len(parsed.problems),
        imported=result.imported, updated=result.updated, unchanged=result.unchanged,
        rejected=rejected, warnings=parsed.warnings,
    )
