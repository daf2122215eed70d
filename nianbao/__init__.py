"""nianbao (年报): read, check, keep and compare China's government information disclosure annual
reports (政府信息公开工作年度报告), deterministically and offline."""

__version__ = "0.1.0"

# Bumped whenever the reader would read the same file differently; stored reports read by an
# older reader are re-read by ``nianbao reparse``.
READER_VERSION = 1
