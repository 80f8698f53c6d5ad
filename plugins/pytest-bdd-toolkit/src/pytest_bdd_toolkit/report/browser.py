"""How to start a headless system Chromium that opens the living documentation offline.

Shared by the toolkit's browser test and by any tool that screenshots a
living document, so that both start the browser the same way: no sandbox
(containers often run as root), no GPU, and nothing that reaches the network.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("BDD_TOOLKIT_CHROMIUM", "/usr/bin/chromium")
"""The browser to drive: Debian's Chromium by default, or $BDD_TOOLKIT_CHROMIUM."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Chromium's command-line switches: headless, as root, with no network of its own."""
