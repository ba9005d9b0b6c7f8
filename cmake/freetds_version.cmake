# What the FreeTDS found at build time can do, for the messages that say what this build cannot
# (strict TDS 8.0 encryption arrived in FreeTDS 1.5, which added DBTDS_8_0_ to sybdb.h).
# Sets SUSAUDIT_FREETDS_VERSION ("1.3.17", from dbversion() of the library linked) and
# SUSAUDIT_FREETDS_STRICT (1 when sybdb.h knows TDS 8.0).
include(CheckSymbolExists)
set(CMAKE_REQUIRED_INCLUDES "${SYBDB_INCLUDE_DIR}")
check_symbol_exists(DBTDS_8_0_ "sybfront.h;sybdb.h" SUSAUDIT_FREETDS_HAS_TDS8)
unset(CMAKE_REQUIRED_INCLUDES)
if(SUSAUDIT_FREETDS_HAS_TDS8)
  set(SUSAUDIT_FREETDS_STRICT 1)
else()
  set(SUSAUDIT_FREETDS_STRICT 0)
endif()

if(NOT DEFINED SUSAUDIT_FREETDS_VERSION)
  set(_probe "${CMAKE_BINARY_DIR}/freetds_version_probe.c")
  file(WRITE "${_probe}" "#include <stdio.h>\n#include <sybfront.h>\n#include <sybdb.h>\n"
    "int main(void) { puts(dbversion()); return 0; }\n")
  try_run(_run _compiled "${CMAKE_BINARY_DIR}/freetds_version_probe" "${_probe}"
    CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${SYBDB_INCLUDE_DIR}"
    LINK_LIBRARIES "${SYBDB_LIBRARY}"
    RUN_OUTPUT_VARIABLE _out)
  # "freetds v1.3.17" -> "1.3.17"
  if(_compiled AND _run EQUAL 0 AND _out MATCHES "v?([0-9]+\\.[0-9]+(\\.[0-9]+)?)")
    set(SUSAUDIT_FREETDS_VERSION "${CMAKE_MATCH_1}" CACHE STRING "FreeTDS version found at build time")
  else()
    set(SUSAUDIT_FREETDS_VERSION "unknown" CACHE STRING "FreeTDS version found at build time")
  endif()
endif()
message(STATUS "FreeTDS ${SUSAUDIT_FREETDS_VERSION}, strict TDS 8.0: ${SUSAUDIT_FREETDS_STRICT}")
