#!/usr/bin/env python3
"""make_wheel.py: package the built pyston_lite module as a wheel for the CPython it was built against.

The wheel holds the extension module and its autoload .pth, so `pip install --no-index pyston_lite-*.whl` puts
the JIT into that interpreter's own site-packages: every `python3.X script.py` then runs with the JIT
(`DISABLE_PYSTON=1` turns it off for one process) until `pip uninstall pyston_lite`. Written with the standard
library only (no PyPI here), following the wheel format (PEP 427: *.dist-info with METADATA, WHEEL, RECORD).

    make_wheel.py --module build/lib/pyston_lite/pyston_lite.cpython-38-x86_64-linux-gnu.so \
        --pth build/lib/pyston_lite/pyston_lite_autoload.pth --version 0.1 --python-tag cp38 --out build/wheels
"""
import argparse
import base64
import hashlib
import os
import sys
import zipfile

NAME = "pyston_lite"


def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True, help="the built extension module (.so)")
    parser.add_argument("--pth", required=True, help="the autoload .pth file")
    parser.add_argument("--version", required=True)
    parser.add_argument("--python-tag", required=True, help="e.g. cp38 (the interpreter the module was built for)")
    parser.add_argument("--platform", default="linux_x86_64")
    parser.add_argument("--out", required=True, help="folder to write the wheel into")
    args = parser.parse_args()
    for path in (args.module, args.pth):
        if not os.path.isfile(path):
            sys.exit(f"make_wheel.py: error: {path} does not exist (build the pyston_lite target first)")

    tag = f"{args.python_tag}-{args.python_tag}-{args.platform}"
    dist_info = f"{NAME}-{args.version}.dist-info"
    metadata = (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {args.version}\n"
                "Summary: pyston-bench's reference JIT for stock CPython (PEP 523), enabled at startup by a .pth;"
                " DISABLE_PYSTON=1 turns it off\n"
                f"Requires-Python: =={args.python_tag[2]}.{args.python_tag[3:]}.*\n")
    wheel = f"Wheel-Version: 1.0\nGenerator: pyston-bench make_wheel.py\nRoot-Is-Purelib: false\nTag: {tag}\n"
    files = {
        os.path.basename(args.module): open(args.module, "rb").read(),
        os.path.basename(args.pth): open(args.pth, "rb").read(),
        f"{dist_info}/METADATA": metadata.encode(),
        f"{dist_info}/WHEEL": wheel.encode(),
        f"{dist_info}/top_level.txt": f"{NAME}\n".encode(),
    }
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in files.items())
    record += f"{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()

    os.makedirs(args.out, exist_ok=True)
    target = os.path.join(args.out, f"{NAME}-{args.version}-{tag}.whl")
    with zipfile.ZipFile(target + ".tmp", "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible
            info.external_attr = (0o755 if path.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    os.replace(target + ".tmp", target)
    print(target)


if __name__ == "__main__":
    main()
