"""The teaching machinery: what turns custlab's methods into lessons and reports.

============  ================================================================
module        what it holds
============  ================================================================
``lessons``   one-line helpers for lesson cells: shipped logs, a seeded dirty
              sample with known faults, the M1 rules-vs-clusters illustration
``i18n``      zh/en labels for every class name, column and axis
``plots``     figure style, the bundled Chinese font, shared figures
``runner``    papermill runs with checked parameters; key figures out of a run
``report``    the instructors' HTML report (``custlab report``)
============  ================================================================

The exercise checker and grader (:mod:`custlab.exercises`) and the command
line (:mod:`custlab.cli`) belong to this half too. The lesson helpers are
importable from here as before (``from custlab import teaching;
teaching.dirty_sample(...)``).

Examples
--------
>>> from custlab import teaching
>>> teaching.TRANSACTION_LOGS["supermarket"]
'member_id'
"""

from __future__ import annotations

# The lesson helpers are this package's own API, re-exported as lessons lists them.
from custlab.teaching.lessons import *  # noqa: F403
from custlab.teaching.lessons import __all__  # noqa: F401
