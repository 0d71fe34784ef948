"""Early-warning escalation: deadlines in working time, recurrence, supervisors.

The config tree is imported first so that ``gridwatch.escalation.config`` (which
``gridwatch.config.models`` uses) can be imported on its own without an import cycle.
"""

import gridwatch.config  # noqa: F401  (import order: the config tree first)
