"""`smiley-checks course init FOLDER`: make the teacher's course folder (smiley_grader.course_init)."""

from __future__ import annotations

from pathlib import Path

LANGUAGE_CHOICES = {"en": ("en",), "nl": ("nl",), "both": ("en", "nl")}


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("course", help="make your own nbgrader course folder (course init FOLDER)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="copy the source notebooks and nbgrader_config.py into FOLDER")
    init.add_argument("folder", type=Path, help="the new course folder, e.g. ~/smileys")
    init.add_argument("--language", choices=sorted(LANGUAGE_CHOICES), default="both",
                      help="the assignments' language: en (layers, break_the_model), nl (lagen, breek_het_model) "
                           "or both (default)")
    init.add_argument("--formgrader", action="store_true",
                      help="also tell nbgrader's formgrader that this is your course (~/.jupyter/nbgrader_config.py)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_checks.messages import say
    from smiley_grader.course_init import assignments_for, init_course, point_formgrader_at
    from smiley_grader.course_secret import SECRET_FILE

    made = init_course(args.folder, assignments_for(LANGUAGE_CHOICES[args.language]))
    folder = made[0].parent
    print(say("course.made", path=folder))
    for path in made:
        print(f"  {path.relative_to(folder)}")
    print(say("course.secret_made", name=SECRET_FILE))
    if args.formgrader:
        from jupyter_core.paths import jupyter_config_dir

        print(say("course.formgrader", path=point_formgrader_at(folder, Path(jupyter_config_dir()))))
    print(say("course.next", path=folder))
    return 0
