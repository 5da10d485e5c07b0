"""`smiley-checks grade` with several courses: how their lines name them, and one gradebook URL for several
courses refused in one sentence. Two real courses graded in one command: test_cluster.py (its LocalCluster
part); several courses and assignments on one cluster with a stand-in for nbgrader: test_pool.py."""

from pathlib import Path


def test_one_gradebook_url_for_several_courses_is_one_sentence(tmp_path, capsys, english):
    from smiley_checks.cli import main

    for name in ("3a", "3b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "nbgrader_config.py").write_text("")
    code = main(["grade", "layers", "--course", str(tmp_path / "3a"), "--course", str(tmp_path / "3b"),
                 "--unsandboxed", "--db-url", "sqlite:///one.db"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "--db-url names one gradebook, so it works with one course only" in err


def test_courses_are_named_by_the_fewest_last_parts_that_tell_them_apart():
    from smiley_grader.classgrading.pool import course_names

    a, b, c = Path("/srv/3a/course"), Path("/srv/3b/course"), Path("/home/t/4c")
    assert course_names([a, b, c, a]) == {a: "3a/course", b: "3b/course", c: "t/4c"}
    assert course_names([c]) == {c: "4c"}
