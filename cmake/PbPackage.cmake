# CPack: `cpack -G DEB` (in the build folder) makes pyston-bench_<version>_amd64.deb, which installs everything
# `cmake --install` does under /opt/pyston-bench. The JIT's launchers link the CPythons they were built against
# (not Debian packages), so those interpreters must exist at the same paths on the target machine.
# cpack (and `make install`) package what is built; without this they first rebuild every target, tests included.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_NAME pyston-bench)
set(CPACK_PACKAGE_VENDOR "pyston-bench developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "How fast a Python interpreter really is, and why; with the pyston reference JIT")
set(CPACK_PACKAGE_CONTACT "pyston-bench developers <pyston-bench@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /opt/pyston-bench)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Shared libraries: dpkg-shlibdeps on the installed binaries (libpython3.X is not a Debian package: looked up
# in its own folder and left out). The workloads' Debian packages (provisioned per interpreter) are
# recommended, with the tools behind --instructions and the counters.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Every CPython a launcher is built for (pyston: 3.8, pyston3.9, pyston3.10).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "")
foreach(built IN LISTS PB_JIT_BUILT_VERSIONS)
  string(REPLACE "|" ";" built ${built})
  list(GET built 2 python)
  get_filename_component(python_bin ${python} DIRECTORY)
  get_filename_component(python_prefix ${python_bin} DIRECTORY)
  list(APPEND CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${python_prefix}/lib)
endforeach()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "procps")
file(STRINGS ${CMAKE_SOURCE_DIR}/scripts/packages.txt _pb_packages REGEX "^(python3|pypy3|pylint|gunicorn|valgrind|linux-perf)")
string(JOIN ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS ${_pb_packages})
include(CPack)
