import sys

from jahesh.bench.runner import main

sys.exit(main())
