# pb_require(): the one way a component states a dependency. A missing dependency stops the configure step with
# the Debian package that provides it (and the option that turns the component off, when there is one), so a
# fresh machine never builds a product with a part silently missing.
#   pb_require(FOUND <bool> WHAT <text> PACKAGES <deb>... [OPTION <PB_X>])
function(pb_require)
  cmake_parse_arguments(arg "" "FOUND;WHAT;OPTION" "PACKAGES" ${ARGN})
  if(arg_FOUND)
    return()
  endif()
  string(JOIN " " packages ${arg_PACKAGES})
  set(message "${arg_WHAT} not found.\n  Install it: apt-get install --no-install-recommends ${packages}\n  (./setup.sh installs every package in scripts/packages.txt)")
  if(arg_OPTION)
    string(APPEND message "\n  Or build without this component: cmake -D${arg_OPTION}=OFF ...")
  endif()
  message(FATAL_ERROR "${message}")
endfunction()

# pb_find_package(<Package> PACKAGES <deb>... [OPTION <PB_X>] [<find_package arguments>...])
macro(pb_find_package name)
  cmake_parse_arguments(_pb_fp "" "OPTION" "PACKAGES" ${ARGN})
  find_package(${name} QUIET ${_pb_fp_UNPARSED_ARGUMENTS})
  pb_require(FOUND "${${name}_FOUND}" WHAT "${name} (CMake package)" PACKAGES ${_pb_fp_PACKAGES} OPTION "${_pb_fp_OPTION}")
endmacro()

# pb_find_program(<VAR> <name> PACKAGES <deb>... [OPTION <PB_X>]): a tool the build or the tests run.
function(pb_find_program var name)
  cmake_parse_arguments(arg "" "OPTION" "PACKAGES" ${ARGN})
  find_program(${var} ${name})
  pb_require(FOUND "${${var}}" WHAT "the program '${name}'" PACKAGES ${arg_PACKAGES} OPTION "${arg_OPTION}")
endfunction()
