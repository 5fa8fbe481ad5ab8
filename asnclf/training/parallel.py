"""Independent fits run side by side in worker processes (joblib), their results in task order.

Every fit is seeded by the config alone, never by the process that runs it,
and runs with one BLAS thread: liblinear sums with OpenBLAS, whose sums
round differently with 1 or 2 threads (coefficients differing by about 1e-8,
enough to move a tuned threshold). So results are the same whatever the
number of jobs and cores (tested).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from asnclf.errors import ConfigError
from asnclf.training.progress import Progress

Result = TypeVar("Result")
Task = tuple[Callable[..., object], tuple]  # a function and its arguments


def available_cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on macOS and Windows
        return os.cpu_count() or 1


def check_jobs(jobs: int) -> int:
    """``jobs`` if it is a usable number of worker processes (1 to 256), else :class:`ConfigError`."""
    if not 1 <= jobs <= 256:
        raise ConfigError(f"--jobs must be between 1 and 256, found {jobs}")
    return jobs


def run_tasks(tasks: Sequence[Task], *, jobs: int = 1, progress: Progress = Progress(),
              meanwhile: Callable[[], object] | None = None) -> list:
    """``[function(*arguments) for function, arguments in tasks]`` in ``jobs`` processes, in task order.

    ``progress`` advances once per finished task. Functions and arguments must
    pickle (module-level functions and plain data). With ``jobs=1`` everything
    runs in this process. Give the longest tasks first: workers take them in order.

    ``meanwhile``, if given, is called in this process while the workers run
    the tasks, and its result is appended to the list (counted in ``progress``
    too). Its result never goes through pickling, which matters for an object
    that is saved: a fitted pipeline unpickled from a worker saves to other
    bytes than the same pipeline fitted here.

    >>> run_tasks([(divmod, (7, 2)), (pow, (2, 5))], meanwhile=lambda: "here")
    [(3, 1), 32, 'here']
    """
    from joblib import Parallel, delayed

    check_jobs(jobs)
    results: list = [None] * len(tasks)
    # Unordered: the bar moves as soon as any fit ends; each result goes back to its task's place.
    with Parallel(n_jobs=min(jobs, max(len(tasks), 1)), return_as="generator_unordered") as parallel:
        # The call hands the first tasks to the workers; with one job nothing runs before the loop.
        finished = parallel(delayed(_numbered)(index, function, arguments) for index, (function, arguments) in enumerate(tasks))
        if meanwhile is not None:
            extra = _one_blas_thread(meanwhile)
            progress.advance()
        for index, result in finished:
            results[index] = result
            progress.advance()
    return results if meanwhile is None else [*results, extra]


def _numbered(index: int, function: Callable[..., Result], arguments: tuple) -> tuple[int, Result]:
    return index, _one_blas_thread(function, *arguments)


def _one_blas_thread(function: Callable[..., Result], *arguments) -> Result:
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    with threadpool_limits(limits=1, user_api="blas"):
        return function(*arguments)
