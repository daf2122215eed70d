"""What ingest's worker processes share, made once in the forkserver they are forked from
(:func:`nianbao.limits.LimitedPool`, ``set_forkserver_preload``): the reader, the checker and the
store's row making imported, and one small generated report read, checked and prepared, so that
the lazy parts (the regions index, the text reader, compiled patterns, cached tables) are loaded
here and not again by each worker on its first file. Then the objects made so far are moved out of
the garbage collector's view (``gc.freeze``): the workers' collections no longer walk them (nor
touch their pages, which stay shared with the forkserver).

Imported only by the forkserver; importing it elsewhere costs the same read once.
"""

from __future__ import annotations

import gc

from . import parse, pipeline  # noqa: F401  (what the workers run)
from .store import ingest


def warm() -> None:
    """Read, check and prepare one generated report in this process (its result thrown away)."""
    import random

    from . import synth
    from .render import layouts

    report = synth.report(1)
    text = layouts.render(report, next(iter(layouts.LAYOUTS)), random.Random(1))
    ingest.read_file(pipeline.check_file, text.encode("utf-8"), "preload.txt")


try:
    warm()
except Exception:  # noqa: BLE001  only a head start: each worker then loads what it needs itself
    pass
gc.freeze()
