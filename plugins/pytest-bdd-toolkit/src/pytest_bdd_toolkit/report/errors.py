"""A failure as a reader of the project needs it: the error and the project's own frames.

pytest's long report shows every frame, the source of pytest's
`call_fixture_func` and pytest-bdd's internals, and dumps of fixture values.
Cucumber's `error_message` is the error with its stack trace; here that stack
is cut to the frames of files under the project's root that are not installed
packages (nor this toolkit), which is where a reader can act.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from pathlib import Path

MAX_ERROR = 20_000
"""The longest error text a report carries."""

_INSTALLED = tuple(
    {
        str(Path(p).resolve())
        for p in (sys.prefix, sys.base_prefix, sysconfig.get_paths()["purelib"])
    }
)
_TOOLKIT = str(Path(__file__).resolve().parents[1])


def _is_project(filename: str, rootdir: str) -> bool:
    try:
        path = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    if not path.startswith(rootdir + os.sep) or path.startswith(_TOOLKIT):
        return False
    parts = Path(path).parts
    if "site-packages" in parts or "dist-packages" in parts:
        return False
    return not any(path.startswith(prefix + os.sep) for prefix in _INSTALLED)


def project_frames(error: BaseException, rootdir: str) -> list[traceback.FrameSummary]:
    """Return the frames of the error's traceback that are in the project's own files."""
    root = str(Path(rootdir).resolve())
    frames = traceback.extract_tb(error.__traceback__)
    return [frame for frame in frames if _is_project(frame.filename, root)]


def describe(error: BaseException) -> str:
    """Return the error's type and message, as the last line of a Python traceback says it."""
    return "".join(traceback.format_exception_only(type(error), error)).rstrip()


def format_error(error: BaseException, rootdir: str) -> str:
    """Format the error with its traceback cut to the project's frames, paths relative."""
    lines = ["Traceback (most recent call last; the project's frames only):"]
    for frame in project_frames(error, rootdir):
        where = os.path.relpath(frame.filename, rootdir)
        lines.append(f'  File "{where}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    text = "\n".join(lines) + "\n" + describe(error)
    return text[:MAX_ERROR]
