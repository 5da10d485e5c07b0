"""nbgrader's collect, taking only each student's own, real files.

On a hub every student is an OS user, and the exchange's inbound is open for everybody to write in.
nbgrader's own collect trusts the name on an inbound entry: `nbgrader submit --student=ben` lets ada
hand in as ben (nbgrader only warns "cheating attempt?"), and it follows symbolic links, as the
teacher, who can read what students cannot: a link in the inbound named as ada's submission and
pointing at the released notebook gets ada graded on a blank notebook; one under ben's own name
pointing at the teacher's `source/` gets ben graded on (and fed back) the solutions; a link inside a
submission copies `gradebook.db` in.

This collect refuses an entry, with one line, when
- it is not a folder, or anything in it, at any depth, is a link, a device, fifo or socket, or a file
  with a second name (a hard link): smiley_grader.own_files;
- it, or anything in it, belongs to anyone but the student named. A name that is an OS account must
  be that account's: an entry the teacher put there herself under a student's name is not that
  student's submission (she can put it in submitted/<name>/ herself). A name that is no account (a
  course on one machine, where the teacher hands in the class's files herself) must be the
  collecting teacher's: so a student with an account cannot hand in under a made-up name either
  (that would only get a made-up student graded, but could fill the teacher's grading with them);
- its name holds no date nbgrader can read (nbgrader's own collect stops for the whole class there).
A refused entry does not count: the student's newest acceptable submission does, and the collect
goes on with the other students. It copies what it takes without following a link
(own_files.copy_own_files), so nothing outside the submission is ever read.
In nbgrader_config.py: c.ExchangeFactory.collect = "smiley_grader.owner_checked_collect.OwnerCheckedCollect"
"""

from __future__ import annotations

import datetime
import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import ignore_patterns

from smiley_checks.messages import say
from smiley_grader.own_files import MAX_DEPTH, NotOwnFiles, check_own_files, copy_own_files

UNREADABLE_DATE = datetime.datetime.min  # sorts a refused entry after every real one


def account_uid(name: str) -> int | None:
    """The uid of the OS account `name`, or None where the name is no account."""
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def name_of(uid: int | None) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except (KeyError, TypeError):
        return f"uid {uid}"


def owner_expected(claimed: str, collector_uid: int) -> int:
    """Who must own the entry handed in under `claimed`'s name (see the module's docstring)."""
    uid = account_uid(claimed)
    return collector_uid if uid is None else uid


def refusal(problem: NotOwnFiles, filename: str, claimed: str, collector_uid: int) -> str:
    """The one line the teacher reads for a refused entry."""
    if problem.reason == "owner" and not problem.path:  # the entry itself is someone else's
        if account_uid(claimed) is None:
            return say("collect.made_up_name", file=filename, claimed=claimed, owner=name_of(problem.owner_uid))
        if problem.owner_uid == collector_uid:
            return say("collect.teacher_entry", file=filename, claimed=claimed)
        return say("collect.forged", file=filename, claimed=claimed, owner=name_of(problem.owner_uid))
    key = f"collect.{problem.reason}" if problem.path else f"collect.entry_{problem.reason}"
    return say(key, file=filename, claimed=claimed, path=problem.path, owner=name_of(problem.owner_uid),
               depth=MAX_DEPTH)


class OwnerCheckedCollect(ExchangeCollect):
    def _path_to_record(self, path):
        try:
            return super()._path_to_record(path)
        except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
            filename = os.path.basename(path)
            self._refused[filename] = say("collect.bad_name", file=filename)
            return {"username": filename.split("+", 1)[0], "filename": filename, "timestamp": UNREADABLE_DATE}

    def _refused_entry(self, record) -> bool:
        filename = record["filename"]
        if filename not in self._refused:
            uid = owner_expected(record["username"], self._collector_uid)
            try:
                check_own_files(os.path.join(self.inbound_path, filename), uid)
                self._owner_uid[filename] = uid
            except NotOwnFiles as problem:
                self._refused[filename] = refusal(problem, filename, record["username"], self._collector_uid)
        return filename in self._refused

    def _sort_by_timestamp(self, records):
        # Acceptable entries first: nbgrader takes the first one of each student (the newest).
        ordered = super()._sort_by_timestamp(records)
        flags = [self._refused_entry(record) for record in ordered]
        return [r for r, bad in zip(ordered, flags) if not bad] + [r for r, bad in zip(ordered, flags) if bad]

    def init_src(self):
        self._refused: dict[str, str] = {}
        self._owner_uid: dict[str, int] = {}
        self._collector_uid = os.getuid()
        super().init_src()
        self.src_records = [record for record in self.src_records if record["filename"] not in self._refused]
        for filename in sorted(self._refused):
            self.log.warning(self._refused[filename])

    def do_copy(self, src, dest, log=None):
        """nbgrader's do_copy (its size limit and ignore patterns) without following a link; an entry
        that changed since init_src checked it is refused now, and the other students go on."""
        filename = os.path.basename(src)
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            self.log.warning(say("collect.too_big", file=filename, limit=self.coursedir.max_dir_size))
            return
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        try:
            copy_own_files(src, dest, self._owner_uid[filename], ignore)
        except NotOwnFiles as problem:
            self.log.warning(refusal(problem, filename, filename.rsplit("+", 3)[0], self._collector_uid))
            return
        if self.coursedir.groupshared:  # as nbgrader's own do_copy: the graders' group may write
            for folder, _, files in os.walk(dest):
                os.chmod(folder, (os.stat(folder).st_mode | 0o2770) & 0o2777)
                for name in files:
                    path = os.path.join(folder, name)
                    os.chmod(path, (os.stat(path).st_mode | 0o660) & 0o777)
