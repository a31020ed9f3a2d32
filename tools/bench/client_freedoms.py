"""What each freedom of the contract does to real clients: measured, not asserted.

    .venv/bin/python tools/bench/client_freedoms.py    # writes tools/bench/client_freedoms.md (+ .json)

Each client of tests/clients.py walks the family (tests.clients.Walk) against the reference server's
freedoms mode, on loopback in this process: with each freedom alone (seed 1), and with every freedom on over
seeds 1-5, first as an application that gives up at the first step that went wrong, then as one that tries such
a step again (tests.clients.RETRY_SECONDS apart, RETRIES times), as one written for a throttling, lagging cloud
does. A step that went wrong is shown with the request and the answer the server's log holds for it, and the
freedoms that answer used: that is what broke the client. Every request goes to 127.0.0.1; each walk is
bounded (10 s of waiting for a status).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import warnings
from collections import Counter
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.clients

from modelarts_vj.server.freedoms import FREEDOMS, FreedomsService, store_for  # noqa: E402
from modelarts_vj.server.serving import serving_in_thread  # noqa: E402
from tests.clients import AK, CLIENTS, RETRIES, RETRY_SECONDS, SK, Walk  # noqa: E402

TOKEN = "freedoms-token-0123"
SPEED = {"init_seconds": 0.05, "waiting_seconds": 0.05, "killing_seconds": 0.1}
SEEDS = (1, 2, 3, 4, 5)


def walk(make_client, seed: int, enabled: set[str], retries: int = 0) -> dict:
    service = FreedomsService(store_for(":memory:", seed, enabled), token=TOKEN, ak=AK, sk=SK, seed=seed,
                              enabled=enabled, **SPEED)
    with serving_in_thread(service.app()) as url:
        steps = Walk(make_client(url, TOKEN), log=lambda: list(service.log), retries=retries).run(f"walk-{seed}")
        probe = Walk(make_client(url, TOKEN, wrong=True), log=lambda: list(service.log))
        probe.run_step("a wrong credential refused", lambda: probe.client.list("x"))
        wrong = probe.steps[-1]
        # Right when the client raised on the server's 401 or 403 (and not on a 429).
        wrong.ok = not wrong.ok and any(entry["status"] in (401, 403) for entry in wrong.answers)
    steps.append(wrong)
    return {"seed": seed, "freedoms": sorted(enabled), "retries": retries,
            "used": dict(sorted(service.exercised.items())),
            "steps": [{"step": s.name, "ok": s.ok, "detail": s.detail, "tries": s.tries,
                       "answers": [] if s.ok else s.answers[-3:]} for s in steps]}


def culprits(run: dict) -> Counter[str]:
    """The freedoms used by the answer each step that went wrong failed on (its last)."""
    found: Counter[str] = Counter()
    for step in run["steps"]:
        if not step["ok"]:
            found.update({tag.split(":")[0] for answer in step["answers"][-1:] for tag in answer["freedoms"]}
                         or {"(none)"})
    return found


def markdown(result: dict) -> str:
    lines = [f"# What the contract's freedoms do to real clients ({result['measured']})", "",
             "Measured by `tools/bench/client_freedoms.py`: each client walks the family (create, details, list, a "
             "duplicate name, modify, stop, wait, restart, stop, wait, delete; it gives up at the first step that "
             "went wrong), then sends one call with a wrong credential (token, or SK), against `vj-reference-server --freedoms`. A step "
             "is right only when the client hands back what the server meant. The retrying application tries a step "
             f"that went wrong again, up to {RETRIES} times, {RETRY_SECONDS:g} s apart. Versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()) + ".", ""]
    for client, runs in result["clients"].items():
        lines += [f"## {client}", "", "| freedom alone (seed 1) | steps right | what went wrong |", "| --- | --- | --- |"]
        for name, run in runs["alone"].items():
            wrong = [s for s in run["steps"] if not s["ok"]]
            lines.append(f"| `{name}` | {len(run['steps']) - len(wrong)}/{len(run['steps'])} | "
                         + ("; ".join(f"{s['step']}: {s['detail'][:140]}" for s in wrong[:3]).replace("|", "\\|")
                            or "nothing") + " |")
        for key, title in (("all", "all freedoms, seed"),
                           ("all, retrying", f"all freedoms, an application retrying a step {RETRIES} times, seed")):
            lines += ["", f"| {title} | steps right | steps right only when tried again | freedoms used by the answers "
                          "that broke a step |", "| --- | --- | --- | --- |"]
            for run in runs[key]:
                wrong = [s for s in run["steps"] if not s["ok"]]
                retried = [f"{s['step']} ({s['tries']} tries)" for s in run["steps"] if s["ok"] and s["tries"] > 1]
                lines.append(f"| {run['seed']} | {len(run['steps']) - len(wrong)}/{len(run['steps'])} | "
                             + (", ".join(retried) or "none") + " | "
                             + (", ".join(f"{k} ({v})" for k, v in culprits(run).most_common()) or "none") + " |")
        lines += ["", "Each kind of breakage once, with the request and the answer:", ""]
        shown = set()
        for run in list(runs["alone"].values()) + runs["all"] + runs["all, retrying"]:
            for step in run["steps"]:
                key = (step["step"], step["detail"][:40])
                if step["ok"] or key in shown or not step["answers"]:
                    continue
                shown.add(key)
                answer = step["answers"][-1]
                retrying = f"; tried {step['tries']} times" if step["tries"] > 1 else ""
                lines += [f"- **{step['step']}** (freedoms on: {', '.join(run['freedoms'])}; seed {run['seed']}{retrying}): "
                          f"{step['detail'][:300]}", "", "  ```",
                          f"  {answer['method']} {answer['path']}{'?' + answer['query'] if answer['query'] else ''} "
                          f"{answer['request']}".rstrip(),
                          f"  -> {answer['status']} {answer['answer'][:400]}",
                          f"  freedoms of this answer: {', '.join(answer['freedoms']) or 'none'}", "  ```", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "tools" / "bench" / "client_freedoms"), help="results file, no suffix")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", module="openstack")
    result = {"measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "versions": {name: metadata.version(name) for name in ("otcextensions", "openstacksdk", "keystoneauth1",
                                                                      "huaweicloudsdkcore")},
              "clients": {}}
    for make_client in CLIENTS:
        result["clients"][make_client.name] = {
            "alone": {name: walk(make_client, 1, {name}) for name in FREEDOMS},
            "all": [walk(make_client, seed, set(FREEDOMS)) for seed in SEEDS],
            "all, retrying": [walk(make_client, seed, set(FREEDOMS), RETRIES) for seed in SEEDS],
        }
    Path(args.out + ".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    Path(args.out + ".md").write_text(markdown(result))
    print(Path(args.out + ".md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
