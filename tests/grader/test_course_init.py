"""`smiley-checks course init`: a teacher's own course folder from the grader package's template."""

import pytest

from smiley_checks.cli import main
from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.errors import SmileyChecksError
from smiley_grader import course_init
from smiley_grader.course_init import assignments_for, init_course, point_formgrader_at


def test_it_copies_the_config_and_every_source_notebook_as_files(tmp_path):
    made = init_course(tmp_path / "smileys")
    names = sorted(str(path.relative_to(tmp_path / "smileys")) for path in made)
    assert names == ["nbgrader_config.py", "source/break_the_model/break_the_model.ipynb",
                     "source/breek_het_model/breek_het_model.ipynb", "source/lagen/lagen.ipynb",
                     "source/layers/layers.ipynb"]
    for path in made:
        assert not path.is_symlink()
        original = REPO_ROOT / path.relative_to(tmp_path / "smileys")
        assert path.read_bytes() == original.read_bytes()


def test_one_language_gets_only_its_own_assignments(tmp_path):
    init_course(tmp_path / "nl", assignments_for(["nl"]))
    assert sorted(p.name for p in (tmp_path / "nl" / "source").iterdir()) == ["breek_het_model", "lagen"]


def test_nothing_already_there_is_overwritten(tmp_path):
    folder = tmp_path / "smileys"
    folder.mkdir()
    (folder / "nbgrader_config.py").write_text("# my own settings\n")
    with pytest.raises(SmileyChecksError, match="already there; nothing was changed"):
        init_course(folder)
    assert (folder / "nbgrader_config.py").read_text() == "# my own settings\n"
    assert not (folder / "source").exists()


def test_a_file_instead_of_a_folder_is_one_sentence(tmp_path):
    (tmp_path / "oops").write_text("")
    with pytest.raises(SmileyChecksError, match="is a file, not a folder"):
        init_course(tmp_path / "oops")


def test_an_incomplete_install_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(course_init, "TEMPLATE", tmp_path / "empty")
    with pytest.raises(SmileyChecksError, match="grader package is incomplete: .*nbgrader_config.py is missing"):
        init_course(tmp_path / "smileys")
    assert not (tmp_path / "smileys").exists()


def test_the_formgrader_is_pointed_at_the_course_once(tmp_path):
    jupyter = tmp_path / ".jupyter"
    config = point_formgrader_at(tmp_path / "smileys", jupyter)
    text = config.read_text()
    assert text.startswith("c = get_config()")
    assert f"c.CourseDirectory.root = '{tmp_path / 'smileys'}'" in text
    assert point_formgrader_at(tmp_path / "smileys", jupyter).read_text() == text  # again: no second line


def test_a_teachers_own_settings_are_kept_and_another_course_is_not_replaced(tmp_path):
    jupyter = tmp_path / ".jupyter"
    jupyter.mkdir()
    (jupyter / "nbgrader_config.py").write_text("c = get_config()\nc.Exchange.root = '/srv/x'")
    text = point_formgrader_at(tmp_path / "smileys", jupyter).read_text()
    assert text.startswith("c = get_config()\nc.Exchange.root = '/srv/x'\n# The smiley course")
    assert text.count("get_config()") == 1
    with pytest.raises(SmileyChecksError, match="already points the formgrader at another course"):
        point_formgrader_at(tmp_path / "other", jupyter)
    assert (jupyter / "nbgrader_config.py").read_text() == text


def test_the_command_says_what_it_made_and_refuses_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter"))
    assert main(["course", "init", str(tmp_path / "c"), "--language", "en", "--formgrader"]) == 0
    out = capsys.readouterr().out
    assert "source/break_the_model/break_the_model.ipynb" in out and "lagen" not in out
    assert "smiley_course_secret: the course's secret" in out and "Keep it private" in out
    assert (tmp_path / "jupyter" / "nbgrader_config.py").exists()
    assert main(["--lang", "nl", "course", "init", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bestaat al" in err[0]
