"""Write the English and Dutch source notebooks from the bilingual templates.

    .venv/bin/python tools/make_notebooks.py      # templates/*.md -> source/<name>/<name>.ipynb
    .venv/bin/python tools/make_release.py        # then source/ -> release/

Edit templates/, never source/ by hand: tests/assignments/test_bilingual.py fails when
source/ is not what the templates make. Format: smiley_checks/notebook_template.py.
"""

from pathlib import Path

from smiley_checks.notebook_template import write_sources

REPO = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    for path in write_sources(REPO):
        print("wrote", path.relative_to(REPO))
