# CPack: `cpack -G DEB` (in the build folder) makes pyston-bench_<version>_amd64.deb, which installs everything
# `cmake --install` does under /opt/pyston-bench. The JIT's launcher links the CPython 3.8 it was built against
# (not a Debian package), so that interpreter must exist at the same path on the target machine.
# cpack (and `make install`) package what is built; without this they first rebuild every target, tests included.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_NAME pyston-bench)
set(CPACK_PACKAGE_VENDOR "pyston-bench developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "How fast a Python interpreter really is, and why; with the pyston reference JIT")
set(CPACK_PACKAGE_CONTACT "pyston-bench developers <pyston-bench@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /opt/pyston-bench)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Shared libraries: dpkg-shlibdeps on the installed binaries (libpython3.8 is not a Debian package: looked up
# in its own folder and left out). The workloads' Debian packages (provisioned per interpreter) are
# recommended, with the tools behind --instructions and the counters.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(PYTHON38_PREFIX)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PYTHON38_PREFIX}/lib)
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "procps")
file(STRINGS ${CMAKE_SOURCE_DIR}/scripts/packages.txt _pb_packages REGEX "^(python3|pypy3|pylint|gunicorn|valgrind|linux-perf)")
string(JOIN ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS ${_pb_packages})
include(CPack)
