"""What a stream handler raises to say how its entry should be treated."""

from __future__ import annotations


class RetryLater(Exception):
    """A downstream is unavailable: leave the entry pending, without counting a failure.

    The consumer gives the delivery back (its delivery count is not raised) and backs off; the
    entry is tried again once it has been idle for ``min_idle_ms``.
    """


class DeadLetter(Exception):
    """The entry can never succeed (e.g. the receiver rejected it with a 4xx): move it to the
    dead-letter stream now, with this message as the error text."""
