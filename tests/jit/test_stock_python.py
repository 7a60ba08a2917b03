# The pyston_lite extension module in an unmodified python3.8: enable()/disable()/is_enabled()/stats(), and
# the autoload .pth (on unless DISABLE_PYSTON=1). Run with python3.8; argv[1] is the module's directory.
import os
import subprocess
import sys
import tempfile

module_dir = sys.argv[1]
sys.path.insert(0, module_dir)
import pyston_lite

assert not pyston_lite.is_enabled()
pyston_lite.enable()
assert pyston_lite.is_enabled()


def f(n):
    return sum(i * i for i in range(n))


for _ in range(30):
    assert f(100) == 328350
assert pyston_lite.is_compiled(f), pyston_lite.stats()
assert pyston_lite.stats()["functions_compiled"] > 0
pyston_lite.disable()
assert not pyston_lite.is_enabled()
assert f(10) == 285

# Autoload: a site dir holding the module and the .pth enables the JIT at startup.
with tempfile.TemporaryDirectory() as d:
    for name in os.listdir(module_dir):
        os.symlink(os.path.join(module_dir, name), os.path.join(d, name))
    code = "import site, sys; site.addsitedir(sys.argv[1]); import pyston_lite; print(pyston_lite.is_enabled())"
    # addsitedir runs .pth files the same way site does for site-packages at startup.
    for env_value, expected in ((None, "True"), ("1", "False")):
        env = dict(os.environ)
        env.pop("DISABLE_PYSTON", None)
        if env_value:
            env["DISABLE_PYSTON"] = env_value
        r = subprocess.run([sys.executable, "-c", code, d], capture_output=True, text=True, env=env, timeout=60)
        assert r.stdout.strip() == expected, (r.stdout, r.stderr)
print("ok")
