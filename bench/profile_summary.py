"""Sum a py-spy raw (collapsed) profile by package: where the samples' time goes.

    py-spy record -f raw -o prof.txt -- python -m pytest steps -q -p no:randomly
    python bench/profile_summary.py prof.txt [--top 25]

Prints, for each package (the first dotted name of a frame's file), the share of samples
in which it is on the stack (inclusive) and at the top (self), and the hottest functions.
"""

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]+)(?::\d+)?\)$")


def _package(file: str) -> str:
    file = file.split("site-packages/")[-1]
    if file.startswith("<frozen") or file.startswith("/usr/lib/python"):
        return "python"
    return file.split("/")[0].removesuffix(".py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        frames = [m for f in stack.split(";") if (m := _FRAME.match(f))]
        if not frames:
            continue
        total += samples
        for package in {_package(m["file"]) for m in frames}:
            inclusive[package] += samples
        top = frames[-1]
        own[_package(top["file"])] += samples
        functions[f"{top['function']} ({top['file'].split('site-packages/')[-1]})"] += samples
    print(f"{total} samples")
    print(f"{'package':<28}{'inclusive':>10}{'self':>8}")
    for package, samples in inclusive.most_common(args.top):
        print(f"{package:<28}{samples / total:>10.1%}{own[package] / total:>8.1%}")
    print("hottest functions (self):")
    for function, samples in functions.most_common(args.top):
        print(f"  {samples / total:>6.1%}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
