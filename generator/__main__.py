import gc
import os
import sys

from generator.cli import main

# The process ends at os._exit below. Turned back on after a build, the collector swept every object of the
# model once before the process could end (docs/performance.md); `serve` runs on, building again: it keeps it.
if "serve" not in sys.argv[1:]:
    gc.disable()
code = main()
# A national portal's model is millions of objects; freeing them one by one at exit took seconds
# of `make site`. Everything is written and closed by now: leave without that.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
