"""What a file may cost to read: the limits every reader runs under, and the time limit per file.

A folder of reports may hold anything: a zip bomb, an HTML page of cells spanning 200 rows and
columns each, a PDF of 10,000 pages, ``/dev/zero`` or a FIFO. Each is refused fast with its own
error (a :class:`~nianbao.errors.LimitExceeded` subclass naming the file, the limit and how to
change it), never read to the end.

The limits are a :class:`Limits`; the defaults are the ``DEFAULT_*`` constants and each can be
changed through its environment variable (``NIANBAO_MAX_FILE_MB=500 nianbao ingest …``), listed in
:data:`ENV`, or by the commands' option ``--limit NAME=VALUE`` (``--limit file_mb=500``; NAME is
the field of :class:`Limits`, the variable's name without ``NIANBAO_MAX_``; :func:`with_options`),
which goes over the environment. Readers ask :func:`current` (one process-wide value; worker
processes get the parent's value with each task).

Time: :func:`deadline` stops the reading of one file after ``Limits.seconds`` (a signal timer, in
the main thread of a process); :class:`LimitedPool` runs tasks in worker processes and kills a
worker whose task outlives its deadline (a hang inside a C library), then starts a new one.
"""

from __future__ import annotations

import io
import os
import pickle
import queue
import signal
import stat
import threading
import time
import zipfile
import zlib
from collections import deque
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Callable, Iterator, Mapping

from .errors import (CompressionRatio, CorruptFile, ImageTooLarge, FileTooLarge, GridTooLarge, LimitConfigError, NestingTooDeep, NianbaoError,
                     NotRegularFile, TextTooLarge, TimeLimitExceeded, TooManyMembers, TooManyPages, UnpackedTooLarge)

MB = 1024 * 1024

DEFAULT_SECONDS = 300.0  # per file; an OCR'd scan takes 10-15 s a page
DEFAULT_FILE_MB = 100.0  # any one file (or zip member) as stored
DEFAULT_PAGES = 500  # pages of a PDF (or frames of an image)
DEFAULT_UNPACKED_MB = 200.0  # a DOCX unpacked, or one zip member unpacked
DEFAULT_RATIO = 100.0  # unpacked ÷ compressed size of a zip member or DOCX part (over RATIO_FLOOR)
DEFAULT_MEMBERS = 20_000  # files in one zip archive (a DOCX has a few dozen parts)
DEFAULT_TEXT_MB = 10.0  # an HTML page, a text file, the XML of a DOCX body
DEFAULT_DEPTH = 256  # nesting of HTML elements
DEFAULT_CELLS = 200_000  # grid cells of one document's tables after row/column spans are expanded
DEFAULT_PIXELS = 60_000_000  # an image to OCR (a page rendered at 150 dpi is 2 M)

RATIO_FLOOR = 1 * MB  # members smaller than this unpacked are never refused for their ratio
GRACE_SECONDS = 5.0  # a worker still busy this long after its deadline is killed

# field → environment variable; the Chinese name of each limit (in messages)
ENV = {
    "seconds": "NIANBAO_MAX_SECONDS",
    "file_mb": "NIANBAO_MAX_FILE_MB",
    "pages": "NIANBAO_MAX_PAGES",
    "unpacked_mb": "NIANBAO_MAX_UNPACKED_MB",
    "ratio": "NIANBAO_MAX_RATIO",
    "members": "NIANBAO_MAX_MEMBERS",
    "text_mb": "NIANBAO_MAX_TEXT_MB",
    "depth": "NIANBAO_MAX_DEPTH",
    "cells": "NIANBAO_MAX_CELLS",
    "pixels": "NIANBAO_MAX_PIXELS",
}
LABELS = {
    "seconds": "每个文件的读取时间（秒）",
    "file_mb": "单个文件大小（MB）",
    "pages": "PDF 页数",
    "unpacked_mb": "解压后大小（MB）",
    "ratio": "压缩比",
    "members": "压缩包内文件数",
    "text_mb": "网页、文本和 DOCX 正文大小（MB）",
    "depth": "网页元素嵌套层数",
    "cells": "表格单元格总数（展开合并单元格后）",
    "pixels": "待识别图片的像素数",
}


@dataclass(frozen=True)
class Limits:
    seconds: float = DEFAULT_SECONDS
    file_mb: float = DEFAULT_FILE_MB
    pages: int = DEFAULT_PAGES
    unpacked_mb: float = DEFAULT_UNPACKED_MB
    ratio: float = DEFAULT_RATIO
    members: int = DEFAULT_MEMBERS
    text_mb: float = DEFAULT_TEXT_MB
    depth: int = DEFAULT_DEPTH
    cells: int = DEFAULT_CELLS
    pixels: int = DEFAULT_PIXELS

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            integral = f.type in (int, "int")
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 and value == value
            if ok and integral and value != int(value):
                ok = False
            if not ok or value == float("inf"):
                raise LimitConfigError(
                    f"限制“{LABELS[f.name]}”的值 {value!r} 无效：必须是大于 0 的{'整数' if integral else '数'}"
                    f"（--limit {f.name}=… 或环境变量 {ENV[f.name]}）"
                )
            if integral:
                object.__setattr__(self, f.name, int(value))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        """The defaults, with each limit whose environment variable is set replaced by its value."""
        environ = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for name in ENV:
            raw = environ.get(ENV[name], "").strip()
            if raw:
                values[name] = _value(name, raw, f"环境变量 {ENV[name]}={raw!r}")
        return cls(**values)

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * MB)

    @property
    def unpacked_bytes(self) -> int:
        return int(self.unpacked_mb * MB)

    @property
    def text_bytes(self) -> int:
        return int(self.text_mb * MB)

    @property
    def hard_seconds(self) -> float:
        """When a worker still running a task is killed (the task's own deadline comes first)."""
        return self.seconds + max(GRACE_SECONDS, self.seconds * 0.1)


def _value(name: str, raw: str, where: str) -> float | int:
    """A limit's value as written (an environment variable's, an option's): an integer for the
    limits that count things, a number for the others."""
    integral = next(f for f in fields(Limits) if f.name == name).type in (int, "int")
    try:
        return int(raw) if integral else float(raw)
    except ValueError:
        raise LimitConfigError(f"{where} 不是{'整数' if integral else '数字'}（{LABELS[name]}）") from None


def names_help() -> str:
    """Every limit's name and what it limits, for help and for an error naming a wrong one."""
    return "；".join(f"{name}：{LABELS[name]}" for name in ENV)


def with_options(assignments: list[str] | tuple[str, ...], base: Limits | None = None) -> Limits:
    """``NAME=VALUE`` assignments (the option ``--limit``, repeatable: ``pages=50``, ``file_mb=20``;
    a name is a field of :class:`Limits` or its environment variable, in any case) over ``base``
    (default :func:`current`: the defaults and the environment). An unknown name, a missing ``=``
    or a bad value raises :class:`LimitConfigError` naming the limits there are."""
    values: dict[str, float | int] = {}
    for item in assignments:
        name, sep, raw = item.partition("=")
        key = name.strip().lower()
        key = key[len("nianbao_max_"):] if key.startswith("nianbao_max_") else key
        if not sep or key not in ENV:
            what = f"未知的限制 {name.strip()!r}" if sep else "应写成 名称=值"
            raise LimitConfigError(f"--limit {item!r}：{what}。可用的限制：{names_help()}")
        values[key] = _value(key, raw.strip(), f"--limit {item!r}：{raw.strip()!r}")
    return replace(base or current(), **values)


_active: Limits | None = None


def current() -> Limits:
    """The limits in force in this process (from the environment until :func:`configure`)."""
    global _active
    if _active is None:
        _active = Limits.from_env()
    return _active


def configure(limits: Limits | None) -> None:
    """Set the limits of this process (None: read the environment again on next use)."""
    global _active
    _active = limits


def _mb(n: float) -> str:
    return f"{n / MB:.1f}" if n >= MB / 10 else f"{n / MB:.2g}"  # a small file under a lowered limit: not "0.0"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _over(name: str, limit: float) -> str:
    return f"，超过上限 {_num(limit)}（{LABELS[name]}；可用 --limit {name}=… 或环境变量 {ENV[name]} 调整）"


# --- files ---------------------------------------------------------------------------------------


def check_file_size(size: int, path: str, limits: Limits | None = None) -> None:
    limits = limits or current()
    if size > limits.file_bytes:
        raise FileTooLarge(f"{path}: 文件大小 {_mb(size)} MB{_over('file_mb', limits.file_mb)}，不予读取", path)


def read_file(path: str | os.PathLike, limits: Limits | None = None) -> bytes:
    """A regular file's bytes, at most the size limit. A device (``/dev/zero``), a FIFO or a socket
    is refused without reading (a FIFO is opened without waiting for a writer)."""
    limits = limits or current()
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise NianbaoError(f"{name}: 无法读取文件 ({e.strerror or e})", name) from e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(name, st.st_mode)
        check_file_size(st.st_size, name, limits)
        chunks, got = [], 0
        while True:
            chunk = os.read(fd, min(4 * MB, limits.file_bytes + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if got > limits.file_bytes:  # it grew while being read
                check_file_size(got, name, limits)
        return b"".join(chunks)
    except OSError as e:
        raise NianbaoError(f"{name}: 无法读取文件 ({e.strerror or e})", name) from e
    finally:
        os.close(fd)


def not_regular(path: str, mode: int) -> NotRegularFile:
    kind = ("设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "命名管道（FIFO）" if stat.S_ISFIFO(mode)
            else "套接字" if stat.S_ISSOCK(mode) else "目录" if stat.S_ISDIR(mode) else "特殊文件")
    return NotRegularFile(f"{path}: 不是普通文件（{kind}），不予读取 (not a regular file)", path)


def check_text(size: int, path: str, what: str = "正文", limits: Limits | None = None) -> None:
    limits = limits or current()
    if size > limits.text_bytes:
        raise TextTooLarge(f"{path}: {what}大小 {_mb(size)} MB{_over('text_mb', limits.text_mb)}，不予读取", path)


def check_pages(n: int, path: str, limits: Limits | None = None) -> None:
    limits = limits or current()
    if n > limits.pages:
        raise TooManyPages(f"{path}: 共 {n} 页{_over('pages', limits.pages)}，不予读取", path)


def check_depth(depth: int, path: str, limits: Limits | None = None) -> None:
    limits = limits or current()
    if depth > limits.depth:
        raise NestingTooDeep(f"{path}: 网页元素嵌套 {depth} 层以上{_over('depth', limits.depth)}，不予读取", path)


def check_cells(n: int, path: str, limits: Limits | None = None) -> None:
    limits = limits or current()
    if n > limits.cells:
        raise GridTooLarge(f"{path}: 表格展开合并单元格后有 {n} 个单元格{_over('cells', limits.cells)}，不予读取", path)


def check_pixels(n: int, path: str, limits: Limits | None = None) -> None:
    limits = limits or current()
    if n > limits.pixels:
        raise ImageTooLarge(f"{path}: 图片有 {n} 个像素{_over('pixels', limits.pixels)}，不予识别", path)


# --- zip archives and DOCX packages --------------------------------------------------------------


def check_archive(z: zipfile.ZipFile, path: str, what: str = "压缩包", limits: Limits | None = None,
                  total: bool = False) -> list[zipfile.ZipInfo]:
    """The members of an archive, refused before anything is unpacked when there are too many, one
    unpacks too large or too compressed (as declared), or (``total``, for a DOCX) all together unpack
    too large. Declared sizes may lie: :func:`read_member` checks the real ones while unpacking."""
    limits = limits or current()
    members = [i for i in z.infolist() if not i.is_dir()]
    if len(members) > limits.members:
        raise TooManyMembers(f"{path}: {what}内有 {len(members)} 个文件{_over('members', limits.members)}，不予读取", path)
    size = 0
    for info in members:
        _check_member(info.filename, info.file_size, info.compress_size, path, what, limits)
        size += info.file_size
    if total and size > limits.unpacked_bytes:
        raise UnpackedTooLarge(f"{path}: {what}解压后共 {_mb(size)} MB{_over('unpacked_mb', limits.unpacked_mb)}，不予读取", path)
    return members


def check_member(info: zipfile.ZipInfo, path: str, what: str = "压缩包", limits: Limits | None = None) -> None:
    """One member's declared size and compression ratio, before it is unpacked."""
    _check_member(info.filename, info.file_size, info.compress_size, path, what, limits or current())


def _check_member(name: str, size: int, packed: int, path: str, what: str, limits: Limits) -> None:
    if size > limits.unpacked_bytes:
        raise UnpackedTooLarge(
            f"{path}: {what}内的 {name} 解压后 {_mb(size)} MB 以上{_over('unpacked_mb', limits.unpacked_mb)}，不予读取", path)
    if size > RATIO_FLOOR and size > limits.ratio * max(packed, 1):
        raise CompressionRatio(
            f"{path}: {what}内的 {name} 压缩比 {size / max(packed, 1):.0f} 以上{_over('ratio', limits.ratio)}"
            "（疑似压缩炸弹），不予读取", path)


def _unpack(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, what: str, limits: Limits) -> Iterator[bytes]:
    """A member's bytes in chunks, stopped as soon as it is larger or more compressed than the
    limits allow, whatever its header says."""
    got = 0
    try:
        with z.open(info) as fh:
            while chunk := fh.read(MB):
                got += len(chunk)
                _check_member(info.filename, got, info.compress_size, path, what, limits)
                yield chunk
    except (zipfile.BadZipFile, zlib.error, RuntimeError, EOFError, OSError, NotImplementedError, ValueError) as e:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise CorruptFile(f"{path}: 无法从{what}中取出 {info.filename}（{type(e).__name__}: {e}）", path) from e


def read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, what: str = "压缩包",
                limits: Limits | None = None) -> bytes:
    """One member unpacked (at most the unpacked and the file size limits, within the ratio)."""
    limits = limits or current()
    out, got = [], 0
    for chunk in _unpack(z, info, path, what, limits):
        got += len(chunk)
        check_file_size(got, f"{path}!{info.filename}", limits)
        out.append(chunk)
    return b"".join(out)


def check_package(data: bytes, path: str, what: str = "DOCX 文件", limits: Limits | None = None) -> None:
    """A DOCX (or any zip package a library reads whole): declared sizes first, then every part
    unpacked in chunks and thrown away, so that a lying header cannot get a bomb past the checks."""
    limits = limits or current()
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptFile(f"{path}: {what}已损坏，无法打开 ({e})", path) from e
    members = check_archive(z, path, what, limits, total=True)
    size = 0
    for info in members:
        for chunk in _unpack(z, info, path, what, limits):
            size += len(chunk)
            if size > limits.unpacked_bytes:
                raise UnpackedTooLarge(
                    f"{path}: {what}解压后超过 {_mb(size)} MB{_over('unpacked_mb', limits.unpacked_mb)}，不予读取", path)


# --- time ----------------------------------------------------------------------------------------


class _Alarm(BaseException):
    """Raised by the timer inside whatever code is running; a BaseException so that readers'
    ``except Exception`` cannot turn it into another error. :func:`deadline` converts it."""


def _on_alarm(signum, frame):
    raise _Alarm()


def time_limit_error(path: str, seconds: float) -> TimeLimitExceeded:
    return TimeLimitExceeded(
        f"{path or '文件'}: 读取时间达到上限 {_num(seconds)} 秒（{LABELS['seconds']}；可用 --limit seconds=… 或环境变量 {ENV['seconds']} 调整），已停止", path)


@contextmanager
def deadline(path: str = "", seconds: float | None = None) -> Iterator[None]:
    """Stop the enclosed reading after ``seconds`` (default: the limit) with :class:`TimeLimitExceeded`.

    Works in the main thread of a process (a worker, the CLI); elsewhere (a web server thread) it
    does nothing: there the reading runs in a :class:`LimitedPool`. Nested deadlines keep the outer one.
    """
    seconds = current().seconds if seconds is None else seconds
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Alarm:
        raise time_limit_error(path, seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class WorkerDied(NianbaoError):
    code = "internal_error"


def _worker_main(conn) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            fn, args, limits = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        configure(limits)
        try:
            out = ("ok", fn(*args))
        except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
            out = ("err", e)
        try:
            conn.send(out)
        except Exception as e:  # an unpicklable result or exception
            conn.send(("err", NianbaoError(f"读取进程无法送回结果 ({type(e).__name__}: {e})")))


def _context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["nianbao.preload"])  # what ingest's workers run, imported and warmed once
    return ctx


def start_early(workers: int | None = None) -> None:
    """Start the forkserver the workers of a :class:`LimitedPool` will be forked from, without
    waiting for it: its imports (``nianbao.preload``, ~1 s of CPU) then run while this process
    imports and opens its database, instead of after, when the first file is to be read.
    Nothing when there will be one worker (``workers``; None: the CPU count) or no forkserver."""
    if (workers if workers is not None else os.cpu_count() or 1) <= 1:
        return
    if _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.ensure_running()


AHEAD_BYTES = 64 * 1024


class LimitedPool:
    """Worker processes that run tasks under a deadline.

    ``submit(fn, *args)`` returns a Future, like :class:`concurrent.futures.ProcessPoolExecutor`
    (and it can be handed to :func:`nianbao.store.ingest.ingest_inputs` as its ``engine``). A task
    still running :attr:`Limits.hard_seconds` (or ``seconds + grace``) after it started is stopped: its worker is killed and
    replaced, and its Future fails with :class:`TimeLimitExceeded`. The other tasks go on.

    ``ahead``: each worker is sent its next task (one, of at most :data:`AHEAD_BYTES` pickled)
    while it runs one, so that it never waits for the thread that feeds it (ingest's many small
    files; a task sent ahead is not taken back for another worker that comes free first). A task
    sent ahead to a worker that dies or is stopped before beginning it goes to the next worker.
    """

    def __init__(self, workers: int = 2, limits: Limits | None = None, grace: float | None = None,
                 ahead: bool = False):
        self.limits = limits or current()
        self.ahead = ahead
        self._dropping = False
        self.hard_seconds = self.limits.hard_seconds if grace is None else self.limits.seconds + grace
        self._tasks: queue.Queue = queue.Queue()
        self._ctx = _context()
        self._procs: list = []
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [threading.Thread(target=self._run, name=f"nianbao-limited-{k}", daemon=True)
                         for k in range(max(1, workers))]
        for t in self._threads:
            t.start()

    def submit(self, fn: Callable, *args, pure: bool | None = None, path: str | None = None) -> Future:
        if self._closed:
            raise RuntimeError("LimitedPool is shut down")
        fut: Future = Future()
        label = path if path is not None else next((a for a in args if isinstance(a, str)), "")
        self._tasks.put((fut, fn, args, label))
        return fut

    def _start(self):
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child,), daemon=True)
        proc.start()
        child.close()
        with self._lock:
            self._procs.append(proc)
        return proc, parent

    def _stop(self, proc, conn) -> None:
        conn.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        with self._lock:
            if proc in self._procs:
                self._procs.remove(proc)

    def _take(self, block: bool):
        """The next task as (future, message, label); None when the pool shuts down; False when
        there is none waiting (``block`` False), or it was cancelled, or it cannot be pickled."""
        try:
            item = self._tasks.get(block)
        except queue.Empty:
            return False
        if item is None:
            return None
        fut, fn, args, label = item
        if not fut.set_running_or_notify_cancel():
            return False
        try:
            return fut, pickle.dumps((fn, args, self.limits)), label
        except Exception as e:  # noqa: BLE001 - an unpicklable task fails alone
            fut.set_exception(e)
            return False

    def _run(self) -> None:
        proc = conn = None
        sent: deque = deque()  # tasks sent to this thread's worker, the one it runs first
        todo: deque = deque()  # tasks taken but not (or no longer) sent: a worker died before it began them
        started = 0.0  # when the worker began sent[0]
        stopping = False
        try:
            while True:
                if not sent:
                    if todo and self._dropping:  # shut down without waiting: not begun, not to begin
                        for fut, _, label in todo:
                            fut.set_exception(WorkerDied(f"{label or '文件'}: 读取已停止", label))
                        todo.clear()
                        continue
                    if todo:
                        task = todo.popleft()
                    elif stopping:
                        return
                    else:
                        task = self._take(block=True)
                        if task is None:
                            return
                        if task is False:
                            continue
                    if proc is None or not proc.is_alive():
                        if proc is not None:
                            self._stop(proc, conn)
                            proc = conn = None
                        try:
                            proc, conn = self._start()
                        except Exception as e:  # noqa: BLE001  no worker can be started: the task fails, not this thread
                            task[0].set_exception(WorkerDied(
                                f"{task[2] or '文件'}: 无法启动读取进程 ({type(e).__name__}: {e})", task[2]))
                            continue
                    try:
                        conn.send_bytes(task[1])
                    except OSError as e:
                        task[0].set_exception(WorkerDied(f"{task[2] or '文件'}: 读取进程异常退出 ({type(e).__name__})", task[2]))
                        self._stop(proc, conn)
                        proc = conn = None
                        continue
                    sent.append(task)
                    started = time.monotonic()
                if self.ahead and len(sent) == 1 and not stopping and len(sent[0][1]) <= AHEAD_BYTES:
                    # the next small task sent while the worker runs this one: it begins it as soon as it
                    # has sent this one's result, without waiting for this thread to wake up (a task sent
                    # ahead fits the pipe's buffer unread, so that sending it never waits for the worker)
                    nxt = todo.popleft() if todo else self._take(block=False)
                    if nxt is None:
                        stopping = True
                    elif nxt is not False:
                        try:
                            if len(nxt[1]) > AHEAD_BYTES:
                                raise BlockingIOError
                            conn.send_bytes(nxt[1])
                            sent.append(nxt)
                        except OSError:  # too large to send ahead, or the worker is gone (found below)
                            todo.appendleft(nxt)
                fut, _, label = sent.popleft()
                gone = False
                try:
                    if conn.poll(max(0.0, started + self.hard_seconds - time.monotonic())):
                        kind, value = conn.recv()
                        started = time.monotonic()  # the worker began the next task sent as it sent this result
                    else:
                        kind, value, gone = "err", time_limit_error(label, self.limits.seconds), True
                except (EOFError, OSError) as e:
                    kind, value, gone = "err", WorkerDied(f"{label or '文件'}: 读取进程异常退出 ({type(e).__name__})", label), True
                if gone:
                    self._stop(proc, conn)
                    proc = conn = None
                    todo.extendleft(reversed(sent))  # sent ahead but not begun: to the next worker
                    sent.clear()
                if kind == "ok":
                    fut.set_result(value)
                else:
                    fut.set_exception(value)
        finally:
            if proc is not None:
                self._stop(proc, conn)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    item = self._tasks.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        for _ in self._threads:
            self._tasks.put(None)
        if cancel_futures or not wait:  # Ctrl-C: running tasks are not waited for either
            self._dropping = True
            with self._lock:
                procs = list(self._procs)
            for p in procs:
                p.kill()
        if wait:
            for t in self._threads:
                t.join()

    def __enter__(self) -> "LimitedPool":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown(wait=True, cancel_futures=True)


def run_limited(fn: Callable, *args, limits: Limits | None = None):
    """``fn(*args)`` in a worker process, stopped after the time limit (raises TimeLimitExceeded)."""
    with LimitedPool(1, limits) as pool:
        return pool.submit(fn, *args).result()
