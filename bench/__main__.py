"""`python -m bench`: see bench/measure.py."""

import sys

from bench.measure import main

sys.exit(main())
