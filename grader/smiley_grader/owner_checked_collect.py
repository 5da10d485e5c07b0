"""nbgrader's collect, refusing a submission that one student handed in under another's name.

On a hub every student is an OS user, and `nbgrader submit --student=ben` lets ada hand in as ben:
her file then replaces his (the newest counts). nbgrader's own collect only warns ("cheating
attempt?") and collects it. This one skips such a file, so ben's own submission is collected, and
says so in one line. It compares only what can be compared: a claimed name that is no OS account
(a course on one machine, where the teacher copies the files in) is not checked. In
nbgrader_config.py: c.ExchangeFactory.collect = "smiley_grader.owner_checked_collect.OwnerCheckedCollect"
"""

from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect

from smiley_checks.messages import say


def owner_of(path: str) -> str | None:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, OSError):
        return None


def is_account(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def forged(claimed: str, owner: str | None, collector: str) -> bool:
    """Handed in under `claimed`'s name by another OS user (not by the teacher who collects)."""
    return owner is not None and owner not in (claimed, collector) and is_account(claimed)


class OwnerCheckedCollect(ExchangeCollect):
    def _forged(self, record) -> bool:
        owner = owner_of(os.path.join(self.inbound_path, record["filename"]))
        if forged(record["username"], owner, self._collector):
            self._refused[record["filename"]] = (record["username"], owner)
            return True
        return False

    def _sort_by_timestamp(self, records):
        # Honest files first: nbgrader takes the first one of each student (the newest).
        ordered = super()._sort_by_timestamp(records)
        flags = [self._forged(record) for record in ordered]
        return [r for r, bad in zip(ordered, flags) if not bad] + [r for r, bad in zip(ordered, flags) if bad]

    def init_src(self):
        self._refused = {}
        self._collector = pwd.getpwuid(os.getuid()).pw_name
        super().init_src()
        self.src_records = [record for record in self.src_records if record["filename"] not in self._refused]
        for filename, (claimed, owner) in sorted(self._refused.items()):
            self.log.warning(say("collect.forged", file=filename, claimed=claimed, owner=owner))
