"""A small stack under the Supervisor, run as its own process by test_supervisor.py.

Usage: python supervised_stack.py EVENTS_FILE [--crash]
Prints one JSON line {"pids": [...]} once everything runs, then waits like `giamsat dev`.
"""

from __future__ import annotations

import json
import sys
import textwrap

from giamsat.devstack.supervisor import ChildDied, Supervisor

# A child that records its stop, and leaves a grandchild behind when it goes (as a careless
# worker would): the supervisor must clean that one up too.
CHILD = textwrap.dedent("""
    import signal, subprocess, sys, time
    name, events = sys.argv[1], sys.argv[2]
    grandchild = subprocess.Popen(["sleep", "300"])
    print(grandchild.pid, flush=True)
    def stop(signum, frame):
        with open(events, "a") as fh:
            fh.write(f"{name} got {signal.Signals(signum).name}\\n")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if len(sys.argv) > 3:
        time.sleep(float(sys.argv[3]))
        sys.exit(3)
    while True:
        time.sleep(1)
""")


def _record(events: str, line: str) -> None:
    with open(events, "a") as fh:
        fh.write(line + "\n")


def main() -> int:
    events = sys.argv[1]
    crash = "--crash" in sys.argv
    pids = []
    supervisor = Supervisor(say=lambda text: None, poll_interval=0.05)
    with supervisor:
        supervisor.on_stop("server", lambda: _record(events, "server stopped"))
        for name in ("web", "worker"):
            extra = ["1.0"] if crash and name == "worker" else []
            child = supervisor.start(
                name, [sys.executable, "-c", CHILD, name, events, *extra], stdout=-1, stop_timeout=5
            )
            pids.append(child.proc.pid)
            pids.append(int(child.proc.stdout.readline()))
        print(json.dumps({"pids": pids}), flush=True)
        try:
            supervisor.wait()
        except ChildDied as died:
            print(f"{died.name} died with {died.returncode}", flush=True)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
