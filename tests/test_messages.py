from smiley_checks.messages import LANGUAGES, catalogue, placeholders, say, set_language


def test_every_message_has_every_language_with_the_same_placeholders():
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), key
        assert placeholders(texts["en"]) == placeholders(texts["nl"]), key


def test_language_setting_switches_the_text():
    try:
        set_language("nl")
        assert say("data.missing_folder", path="x").startswith("De map")
    finally:
        set_language("en")
    assert say("data.missing_folder", path="x").startswith("The smiley folder")


# --- the grader's messages come through an entry point; the student package needs none of them ---

import ast  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from smiley_checks import messages  # noqa: E402
from smiley_checks.dataset.layout import REPO_ROOT  # noqa: E402


def own_keys() -> set[str]:
    return {key for path in messages.own_folder().iterdir() if path.name.endswith(".json")
            for key in json.loads(path.read_text(encoding="utf-8"))}


def added_keys() -> set[str]:
    return set(catalogue()) - own_keys()


@pytest.fixture
def no_grader(monkeypatch):
    """The catalogue as a students' environment has it: no package adds messages."""
    monkeypatch.setattr(messages, "entry_points", lambda group: [])
    catalogue.cache_clear()
    yield
    catalogue.cache_clear()


def test_the_grader_adds_its_catalogue_through_the_entry_point():
    import smiley_grader

    assert [folder.resolve() for folder in messages.added_folders()] == [
        Path(smiley_grader.__file__).resolve().parent / "catalogue"]
    assert {"key.never_remove.correct", "grade.progress", "course.made"} <= added_keys()


def test_a_message_entry_point_runs_no_code(monkeypatch, tmp_path):
    """A planted entry point names a module to import: it is refused, and the module never runs."""
    from importlib.metadata import EntryPoint

    (tmp_path / "planted.py").write_text("import os\nos.environ['PLANTED_RAN'] = '1'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    planted = EntryPoint(name="zz", value="planted:FOLDER", group=messages.MESSAGES_GROUP)
    monkeypatch.setattr(messages, "entry_points", lambda group: [planted])
    with pytest.raises(RuntimeError, match="not an installed top-level package"):
        messages.added_folders()
    planted = EntryPoint(name="zz", value="planted", group=messages.MESSAGES_GROUP)  # a module, not a package
    monkeypatch.setattr(messages, "entry_points", lambda group: [planted])
    with pytest.raises(RuntimeError, match="not an installed top-level package"):
        messages.added_folders()
    assert "PLANTED_RAN" not in os.environ and "planted" not in sys.modules


def test_without_the_grader_the_catalogue_is_the_student_packages_own(no_grader):
    assert set(catalogue()) == own_keys()
    with pytest.raises(KeyError):
        say("grade.progress")


def keys_named_in(source: str) -> tuple[set[str], list[re.Pattern]]:
    """The message keys a module names: its string constants, and a pattern for each f-string key
    (`say(f"task.{grade_id}.left")` -> task\\.[^.]+\\.left)."""
    names, patterns = set(), []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
        elif isinstance(node, ast.JoinedStr):
            parts = [re.escape(part.value) if isinstance(part, ast.Constant) else r"[^.]+" for part in node.values]
            pattern = "".join(parts)
            if re.fullmatch(r"[a-z_]+\\\.\S*", pattern):  # starts like a key, "word." (not a sentence)
                patterns.append(re.compile(pattern))
    return names, patterns


def grader_keys_needed_by(sources: dict[str, str], grader_keys: set[str]) -> list[str]:
    needed = []
    for name, source in sources.items():
        names, patterns = keys_named_in(source)
        needed += [f"{name}: {key}" for key in sorted(grader_keys)
                   if key in names or any(pattern.fullmatch(key) for pattern in patterns)]
    return needed


def student_sources() -> dict[str, str]:
    package = REPO_ROOT / "smiley_checks"
    return {str(path.relative_to(package)): path.read_text(encoding="utf-8") for path in package.rglob("*.py")}


def test_the_student_package_needs_no_message_of_the_grader():
    """Every key the student package says (as a string or an f-string) is in its own catalogue, so no
    student-side code path needs the grader's catalogue (a students' environment has none)."""
    assert len(added_keys()) > 50  # the check has the grader's keys to look for
    assert grader_keys_needed_by(student_sources(), added_keys()) == []


def test_a_student_module_saying_a_grader_key_is_found():
    planted = {"tasks/x.py": 'say("grade.progress", done=1)\nsay(f"sandbox.{why}")\n'}
    assert grader_keys_needed_by(planted, {"grade.progress", "sandbox.no_bwrap", "key.not_a_set"}) == [
        "tasks/x.py: grade.progress", "tasks/x.py: sandbox.no_bwrap"]
