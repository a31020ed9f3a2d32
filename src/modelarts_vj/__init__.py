"""ModelArts v1 visualization jobs: contract, models, reference server and conformance suite.

One namespace, one layer per concern; nothing imports upwards:

- ``modelarts_vj.spec``         the contract, ``openapi.yaml`` (package data)
- ``modelarts_vj.models``       pydantic v2 models generated from it (the base install: pydantic only)
- ``modelarts_vj.rules``        requirements and the judgments of requests and answers (standard library only),
                                shared by the suite and the reference server
- ``modelarts_vj.clock``        the one clock every wait of the suite and the reference server reads (injectable)
- ``modelarts_vj.conformance``  the conformance suite and ``vj-conform`` (extra ``[conform]``)
- ``modelarts_vj.server``       the reference server, ``vj-reference-server`` (extra ``[server]``)
"""

__version__ = "0.2.0"


def missing_extra(extra: str, error: ModuleNotFoundError) -> ModuleNotFoundError:
    """What a part installed without its extra raises instead of `error`: the library missing and the pip command
    that adds it. A missing module of this project's own is a bug, not a missing extra: it is given back as it is."""
    if error.name is None or error.name.split(".")[0] == __name__:
        return error
    return ModuleNotFoundError(f"{error.name} is not installed: this part of modelarts_vj needs the [{extra}] extra: "
                               f"pip install 'modelarts-vj-contract[{extra}]'", name=error.name)
