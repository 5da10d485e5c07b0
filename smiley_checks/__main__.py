import sys

from smiley_checks.cli import main

sys.exit(main())
