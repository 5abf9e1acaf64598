"""Errors a person can act on: every problem names its file, line and field, and all are
reported together before the build stops."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """Collects problems so that one run shows all of them."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, message: str) -> None:
        self.items.append(Problem(file, line, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildError(list(self.items))


class BuildError(Exception):
    """Raised once, with every problem found, when the input cannot make a site."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # so that a helper process can send it back (portal/parallel.py)
        return (BuildError, (self.problems,))

    def report(self) -> str:
        n = len(self.problems)
        head = f"The site was not built: {n} problem{'s' if n != 1 else ''} found. site/ is unchanged."
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
