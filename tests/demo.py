"""The demo's users and data in tests, as ``make run`` (scripts/run.sh) creates them."""

import io

from django.core.management import call_command

DEMO_COMMANDS = ["users", "progress", "evaluation", "quarterly", "cases", "coordination", "public_reports"]


def demo_data() -> None:
    """Create the demo's users and data and send the reminders, as ``make run`` does: full tables
    and every page's branches (drafts, returns, late reports, notifications)."""
    quiet = io.StringIO()
    for command in DEMO_COMMANDS:
        call_command(f"create_demo_{command}", force=True, stdout=quiet)
    call_command("send_reminders", stdout=quiet)
