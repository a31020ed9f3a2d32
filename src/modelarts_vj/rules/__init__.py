"""The API's rules, one layer shared by everything that judges traffic (the conformance suite, the
reference server's client judging): the requirement ids (`requirements`), the exchange of a request and
its answer (`exchange`), the judgments of create (`create`) and of the rest of the family (`family`), and
the per-requirement results and reports (`report`). Standard library only; nothing here imports the
suite, the server or an HTTP client.
"""
