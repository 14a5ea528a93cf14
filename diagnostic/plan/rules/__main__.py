"""`python -m diagnostic.plan.rules > docs/plan-rules.md`"""

import sys

from diagnostic.plan.rules.doc import rules_markdown

sys.stdout.write(rules_markdown())
