"""The one-line message every tool gives the learner, and whether it reports a failure."""

from __future__ import annotations

import traitlets


class Reporting(traitlets.HasTraits):
    """Base for tool models: ``status`` is the message a view shows, ``failed`` says it is an error.

    Examples
    --------
    >>> model = Reporting()
    >>> messages = []
    >>> model.observe(lambda change: messages.append(change["new"]), "status")
    >>> model._report("Saved.")
    >>> model._report("Saved.")  # the same message twice still reaches the view
    >>> [m for m in messages if m]
    ['Saved.', 'Saved.']
    """

    status = traitlets.Unicode("")
    failed = traitlets.Bool(False)

    def _report(self, text: str, failed: bool = False) -> None:
        self.failed = failed
        self.status = ""  # so that the same message twice still notifies
        self.status = text
