"""A stand-in for the kernel's event loop, for widget tests that drive the tool frame's timers by hand."""


class Loop:
    """A stand-in for the kernel's event loop: callbacks and timers run when the test says."""

    def __init__(self):
        self.soon, self.timers = [], {}

    def add_callback(self, callback, *args):
        self.soon.append((callback, args))

    def call_later(self, delay, callback):
        handle = object()
        self.timers[handle] = callback
        return handle

    def remove_timeout(self, handle):
        self.timers.pop(handle, None)

    def turn(self):
        ready, self.soon = self.soon, []
        for callback, args in ready:
            callback(*args)

    def idle(self, most=20):
        """Turn until nothing more is waiting (a few turns: the frame waits for quiet first)."""
        for _ in range(most):
            if not self.soon:
                return
            self.turn()
        raise AssertionError("the loop never went quiet")

    def rest(self):
        """Let the sliders rest: the timers fire, then the loop turns until the rest's steps are done."""
        ready, self.timers = list(self.timers.values()), {}
        for callback in ready:
            callback()
        self.idle()
