"""Set-up for ``pytest --nbval notebooks/`` (nbval compares stored outputs).

Kernels inherit this process's environment. A private matplotlib config folder
keeps a font cache from another environment from hiding the CJK font (TRAPS.md);
building that cache here, before any kernel starts, keeps matplotlib's
"building the font cache" message out of the first cell's stderr on a slow
machine, where nbval would count it as an output that differs.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="custlab-mpl-"))

import matplotlib.font_manager  # noqa: F401  (builds the cache in MPLCONFIGDIR)
