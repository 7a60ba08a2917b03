#!/bin/sh
# Measures each speed technique alone: every script under pyston with everything on, then with one switch
# off at a time (alternating, best of N), and prints the slowdown each switch-off causes (= its gain).
# usage: jit/tools/compare-techniques.sh [rounds] [pyston binary]
set -u
rounds=${1:-2}
here=$(cd "$(dirname "$0")/../.." && pwd)
pyston=${2:-$here/build/bin/pyston}
exec "$pyston" - "$rounds" "$pyston" "$here/jit/include/jit/settings.def" "$here"/jit/bench/scripts/*.py <<'PY'
import math, os, re, subprocess, sys, time
rounds, pyston, settings, scripts = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
switches = re.findall(r'^JIT_SWITCH\(\w+, "(PYSTON_JIT_\w+)"\)', open(settings).read(), re.M)  # the settings table's switches
configs = [("all on", {})] + [(s[11:].lower() + " off", {s: "0"}) for s in switches] + [("all off", {s: "0" for s in switches})]
def once(env, script):
    t = time.perf_counter()
    subprocess.run([pyston, script], check=True, env=dict(os.environ, **env))
    return time.perf_counter() - t
best = {name: {} for name, _ in configs}
for s in scripts:
    for _ in range(rounds):
        for name, env in configs:
            t = once(env, s)
            best[name][s] = min(best[name].get(s, t), t)
print("%-16s" % "gain of" + "".join("%14s" % os.path.basename(s)[:13] for s in scripts) + "   geomean")
for name, _ in configs[1:]:
    ratios = [best[name][s] / best["all on"][s] for s in scripts]
    g = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print("%-16s" % name.replace(" off", "") + "".join("%13.2fx" % r for r in ratios) + "   %.3fx" % g)
PY
