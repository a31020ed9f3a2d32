"""What a user of the installed package runs in an environment of their own (tests/test_distribution.py runs it
there, from a directory outside the checkout): not a test of this project's own run."""

collect_ignore_glob = ["test_*.py"]
