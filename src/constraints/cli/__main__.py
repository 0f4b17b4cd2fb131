"""`python -m constraints.cli`, the same as the `stays` console script."""
import sys

from . import main

sys.exit(main())
