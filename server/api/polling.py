"""The answer to "is my job done yet?": a job still queued or running says when asking again is useful."""
POLL_SECONDS = 2


def retry_after(state):
    """Headers for a job's status answer: Retry-After while it is queued or running."""
    return {"Retry-After": str(POLL_SECONDS)} if state in ("queued", "running") else {}
