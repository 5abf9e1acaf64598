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
        """Every file with a problem, and at most PER_FILE problems of each: a broken file that others
        depend on (regions, provinces) makes hundreds of follow-on problems, and a screenful of them
        hides the first, which is the one to fix."""
        n = len(self.problems)
        head = f"The site was not built: {n} problem{'s' if n != 1 else ''} found. site/ is unchanged."
        lines, shown = [head], {}
        for p in self.problems:
            shown[p.file] = shown.get(p.file, 0) + 1
            if shown[p.file] <= PER_FILE:
                lines.append(f"  {p}")
        for file, count in shown.items():
            if count > PER_FILE:
                lines.append(f"  {file}: … and {count - PER_FILE} more problems (fix the first ones: the rest often follow from them)")
        return "\n".join(lines)


PER_FILE = 40   # problems of one file shown in a report (all of them are counted)


class RuntimeProblem(BuildError):
    """A problem of the machine, not of the input (a full disk, a read-only folder, a port in use,
    another build holding the lock): one located line, and what to do."""

    def __init__(self, problem: Problem):
        super().__init__([problem])

    def __reduce__(self):
        return (RuntimeProblem, (self.problems[0],))

    def report(self) -> str:
        return f"The site was not built: {self.problems[0]}. site/ is unchanged."


def write_advice(exc: OSError) -> str:
    """What to do about a file or folder the build could not write (or the machine refused)."""
    import errno
    advice = {errno.ENOSPC: "free some space on the disk, then build again",
              errno.EDQUOT: "free some space on the disk, then build again",
              errno.EACCES: "make the folder writable, or choose another --site",
              errno.EPERM: "make the folder writable, or choose another --site",
              errno.EROFS: "the file system is read-only: choose another --site",
              errno.EFBIG: "the file size limit (ulimit -f) is lower than the site's files: raise it"}
    return advice.get(exc.errno, "check the folder, then build again")


def cannot_write(path, exc: OSError) -> RuntimeProblem:
    """The located error for a file or folder the build could not write."""
    return RuntimeProblem(Problem(str(path), None, f"cannot write: {exc.strerror or exc}; {write_advice(exc)}"))


def where(exc: BaseException) -> str:
    """"KeyError: 'x' (portal/load.py:120)": an unexpected error in one line, at the innermost
    frame of the project's own code (for the console, instead of a traceback)."""
    import traceback
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    place = ""
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(root) and ".venv" not in path.parts:
            place = f" ({path.relative_to(root).as_posix()}:{lineno})"
    text = str(exc).splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}{': ' + text if text else ''}{place}"
