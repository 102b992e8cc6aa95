"""Suite-wide settings.

Hypothesis: no deadline. Its default (200 ms an example) is a timing assertion, and on a busy
2-core machine a slow example fails a test that found no bug (seen here: a registry row test);
the house rule is that tests never assert on timing. Each test still sets its own example count.
"""

from hypothesis import settings

settings.register_profile("govreports", deadline=None)
settings.load_profile("govreports")
