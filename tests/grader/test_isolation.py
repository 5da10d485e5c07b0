"""The judge starts isolated: files a kernel planted or changed cannot stand in for it."""

import json
import shutil
import subprocess
import sys

from smiley_grader import isolation


def run_bootstrap(tmp_path, folders, fingerprint, module="json.tool", argv=("--help",), cwd=None):
    links = tmp_path / "links"
    links.mkdir(exist_ok=True)
    for name, folder in folders.items():
        if not (links / name).exists():
            (links / name).symlink_to(folder)
    site_packages = json.loads(isolation.judge_command()[-1])["path"][:-1]
    setup = {"path": [*site_packages, str(links)], "packages": folders, "prefix": [sys.prefix, sys.exec_prefix],
             "fingerprint": fingerprint, "module": module,
             "argv": list(argv)}
    return subprocess.run([sys.executable, "-I", "-S", "-c", isolation.BOOTSTRAP, json.dumps(setup)],
                          capture_output=True, text=True, cwd=cwd or tmp_path, timeout=60)


def copy_packages(tmp_path):
    folders = {}
    for name, folder in isolation.package_folders().items():
        folders[name] = str(shutil.copytree(folder, tmp_path / "copies" / name,
                                            ignore=shutil.ignore_patterns("__pycache__")))
    return folders


def test_the_fingerprint_covers_every_file_of_both_packages(tmp_path):
    folders = copy_packages(tmp_path)
    before = isolation.digest(folders)
    (tmp_path / "copies" / "smiley_grader" / "answer_key.py").write_text("NEVER_REMOVE = set()\n")
    assert isolation.digest(folders) != before
    (tmp_path / "copies" / "smiley_grader" / "answer_key.py").unlink()
    assert isolation.digest(folders) != before


def test_the_bootstrap_runs_only_with_unchanged_packages(tmp_path):
    folders = copy_packages(tmp_path)
    fingerprint = isolation.digest(folders)
    assert run_bootstrap(tmp_path, folders, fingerprint).returncode == 0
    judge = tmp_path / "copies" / "smiley_grader" / "judge.py"
    judge.write_text(judge.read_text() + "\n# a kernel was here\n")
    done = run_bootstrap(tmp_path, folders, fingerprint)
    assert done.returncode == 3 and json.loads(done.stdout) == {"tampered": True}


def test_a_link_pointing_elsewhere_is_refused(tmp_path):
    folders = copy_packages(tmp_path)
    fingerprint = isolation.digest(folders)
    links = tmp_path / "links"
    links.mkdir()
    (links / "smiley_checks").symlink_to(tmp_path)  # swapped for a folder the kernel controls
    (links / "smiley_grader").symlink_to(folders["smiley_grader"])
    assert run_bootstrap(tmp_path, folders, fingerprint).returncode == 3


def test_planted_packages_and_pth_files_are_not_on_the_judges_path(tmp_path):
    """A `smiley_grader/` in the working directory and a .pth file next to it do nothing under -I -S."""
    planted = tmp_path / "course"
    (planted / "smiley_grader").mkdir(parents=True)
    (planted / "smiley_grader" / "__init__.py").write_text("raise SystemExit('planted package imported')\n")
    (planted / "evil.pth").write_text("import sys; sys.exit('pth ran')\n")
    folders = isolation.package_folders()
    done = run_bootstrap(tmp_path, folders, isolation.pin_fingerprint(), module="smiley_grader.answer_key",
                         argv=(), cwd=planted)
    assert done.returncode == 0, done.stderr


def test_the_judge_command_is_isolated():
    command = isolation.judge_command()
    assert command[1:3] == ["-I", "-S"]
    setup = json.loads(command[-1])
    assert setup["module"] == "smiley_grader.judge" and setup["fingerprint"] == isolation.pin_fingerprint()
    assert not any(str(path).endswith("/main") for path in setup["path"])  # never the checkout (course) itself
