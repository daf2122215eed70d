"""Where the reading of a batch runs: a local process pool (the default) or an existing Dask
cluster, when a corpus outgrows one machine (``nianbao ingest --dask tcp://scheduler:8786``).

Either way only the reading and checking (``nianbao.pipeline.check_file``) runs remotely; the results
come back to the one process that writes the database, so workers never write at the same time.
An engine is anything with ``submit(fn, *args)`` returning a future with ``done()`` and
``result()``: ``concurrent.futures`` and ``distributed.Client`` both qualify.
"""

from __future__ import annotations

from ..errors import NianbaoError

DASK_HINT = 'pip install "nianbao[distributed]"（集群的每个 worker 上也要安装 nianbao）'


class EngineUnavailable(NianbaoError):
    code = "engine_unavailable"


def dask_client(address: str):
    """A client of the Dask scheduler at ``address`` (``tcp://host:8786``), or of a cluster on
    this machine for ``local`` (one worker process per core)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise EngineUnavailable(f"使用 Dask 集群需要安装 distributed：{DASK_HINT}") from e
    try:
        if address == "local":
            return Client(LocalCluster(processes=True, dashboard_address=None))
        return Client(address, timeout="10s")
    except OSError as e:
        raise EngineUnavailable(f"无法连接 Dask 调度器 {address}：{e}") from e
