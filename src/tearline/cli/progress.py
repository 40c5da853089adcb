"""Progress on stderr, so that --json output on stdout stays one document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tearline.cli.output import err_console

T = TypeVar("T")


@contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner for one long step (shown only on a terminal)."""
    with err_console.status(message):
        yield


def track(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """A progress bar over a loop (shown only on a terminal)."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
