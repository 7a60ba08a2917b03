# The libraries every component shares, found once, each named with the Debian package that provides it.
# Component-only dependencies (Qt for gui/, CPython 3.8 and asmjit for jit/) are required in their own folders.
pb_find_package(SQLite3 PACKAGES libsqlite3-dev)
pb_find_package(PostgreSQL PACKAGES libpq-dev)  # the second results store (libpq, the C client)
pb_find_package(nlohmann_json PACKAGES nlohmann-json3-dev)
pb_find_package(CLI11 PACKAGES libcli11-dev CONFIG)
pb_find_package(fmt PACKAGES libfmt-dev)
pb_find_package(OpenSSL PACKAGES libssl-dev)
pb_find_package(PkgConfig PACKAGES pkg-config)
pb_find_package(GTest PACKAGES libgtest-dev)
pb_find_package(benchmark PACKAGES libbenchmark-dev)
find_library(PFM_LIBRARY pfm)
pb_require(FOUND "${PFM_LIBRARY}" WHAT "libpfm4 (hardware counter event names)" PACKAGES libpfm4-dev)
pkg_check_modules(TOMLPLUSPLUS QUIET IMPORTED_TARGET GLOBAL tomlplusplus)
pb_require(FOUND "${TOMLPLUSPLUS_FOUND}" WHAT "toml++ (gate configuration files)" PACKAGES libtomlplusplus-dev)
pb_find_package(Python3 PACKAGES python3 COMPONENTS Interpreter)  # test scripts and build-time tools
pb_find_program(SQLITE3_PROGRAM sqlite3 PACKAGES sqlite3)
# The store tests start a private PostgreSQL server of their own (initdb, pg_ctl); Debian keeps them off PATH.
file(GLOB _pb_pg_bindirs LIST_DIRECTORIES true /usr/lib/postgresql/*/bin)
find_program(PB_PG_CTL pg_ctl HINTS ${_pb_pg_bindirs})
pb_require(FOUND "${PB_PG_CTL}" WHAT "the PostgreSQL server (pg_ctl, initdb) for the store tests" PACKAGES postgresql)
