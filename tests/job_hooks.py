"""Test-only hooks loaded by the Celery workers the tests start (``start_worker(step_delay=...)``):
each step of a job takes ``JOB_STEP_DELAY`` seconds more, so that a test can interrupt a job
half-way (kill its worker, cut its database connection). Production never imports this module."""

import os
import time

from reports.services.jobs import job_step

STEP_DELAY = float(os.environ.get("JOB_STEP_DELAY", "0"))


def slow_step(sender, job, percent, **kwargs) -> None:
    time.sleep(STEP_DELAY)


if STEP_DELAY:
    job_step.connect(slow_step, dispatch_uid="tests.job_hooks.slow_step")
