"""What a password hash costs: the OWASP Argon2id profile against the fast test profile.

Run by hand, never by pytest:  python bench/passwords.py [--rounds N]

Scenarios sign people up and in all the time; they use the fast profile (allowed only
with APP_ENV=test), so they never pay production hashing. This shows what that saves.
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: import `app` from the checkout

from app.core.security import Passwords  # noqa: E402

PASSWORD = "correct-horse-battery-1"


def _milliseconds(action: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="measured rounds (default 30)")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON figures")
    args = parser.parse_args()
    profiles = {name: Passwords(name) for name in ("owasp", "fast")}
    stored = {name: passwords.hash(PASSWORD) for name, passwords in profiles.items()}
    results: dict[tuple[str, str], float] = {}
    # Interleaved, so that a busy moment on the machine slows both profiles alike.
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name, passwords in profiles.items():
            for operation, action in (
                ("hash", lambda p=passwords: p.hash(PASSWORD)),
                ("verify", lambda p=passwords, h=stored[name]: p.verify(PASSWORD, h)),
                ("verify unknown user", lambda p=passwords: p.verify(PASSWORD, None)),
            ):
                samples.setdefault((name, operation), []).extend(_milliseconds(action, 1))
    print(f"rounds={args.rounds}")
    print(f"{'profile':<8}{'operation':<22}{'median ms':>11}{'p90 ms':>9}  parameters")
    for (name, operation), values in samples.items():
        results[(name, operation)] = statistics.median(values)
        p90 = sorted(values)[min(len(values) - 1, int(0.9 * len(values)))]
        parameters = stored[name].split("$")[3]
        print(
            f"{name:<8}{operation:<22}{results[(name, operation)]:>11.3f}{p90:>9.3f}  {parameters}"
        )
    for operation in ("hash", "verify"):
        ratio = results[("owasp", operation)] / results[("fast", operation)]
        print(f"owasp / fast, {operation}: {ratio:.0f}x")
    if args.json:
        figures = {
            "hash_prod_ms": results[("owasp", "hash")],
            "hash_test_ms": results[("fast", "hash")],
        }
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
