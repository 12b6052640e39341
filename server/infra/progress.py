"""How far long work has got, for whoever watches it: work that takes a while accepts a
`progress(done, total, phase)` callable (the CLI draws a bar with it; `phase` is a msg() so that it can
be shown in the watcher's language) and calls it as it goes. The default watches nothing."""


def unwatched(done, total, phase):
    """The progress callable of work that nobody watches."""
