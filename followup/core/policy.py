"""The settings that steer the checklist, as one value.

`settings.yaml` holds them; every face reads them once into a `Policy` and hands it, with `now`,
to the checklist. The rules never read a file or a clock, so the same policy gives the same
checklist in the CLI, the app, the reports, the drafts and the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from zoneinfo import ZoneInfo

from followup.core.model import Reminders, Settings

#: Keep searching: warn when fewer than this many processes are open (settings: `min_active`).
MIN_ACTIVE = 3
#: Suggest marking a process "no response" once a check-in sent after the recruiter's date (or the
#: default wait) has gone unanswered this long (settings: `no_response_after_days`).
NO_RESPONSE_AFTER = timedelta(days=21)


@dataclass(frozen=True)
class Policy:
    """How this person's checklist is steered: thresholds, alarms and their time zone.

    `zone` is the person's own zone (settings `timezone`, else this machine's); None means the
    zone the current time was given in.
    """

    min_active: int = MIN_ACTIVE
    no_response_after: timedelta = NO_RESPONSE_AFTER
    reminders: Reminders = field(default_factory=Reminders)
    zone: tzinfo | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None, zone: tzinfo | None = None) -> Policy:
        """The policy `settings.yaml` sets; `zone` is used when the settings name none."""
        settings = settings or Settings()
        if settings.timezone:
            zone = ZoneInfo(settings.timezone)
        return cls(
            min_active=settings.min_active,
            no_response_after=settings.no_response_after,
            reminders=settings.reminders,
            zone=zone,
        )


DEFAULT_POLICY = Policy()
