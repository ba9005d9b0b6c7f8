# Finds the libraries susaudit builds on. FreeTDS ships no pkg-config file on Debian,
# so db-lib is found by header and library name.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)

find_path(SYBDB_INCLUDE_DIR sybdb.h PATH_SUFFIXES freetds)
find_library(SYBDB_LIBRARY sybdb)
if(NOT SYBDB_INCLUDE_DIR OR NOT SYBDB_LIBRARY)
  message(FATAL_ERROR "FreeTDS db-lib not found: install freetds-dev")
endif()
add_library(freetds_sybdb UNKNOWN IMPORTED)
set_target_properties(freetds_sybdb PROPERTIES
  IMPORTED_LOCATION "${SYBDB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${SYBDB_INCLUDE_DIR}")

find_package(Threads REQUIRED)

if(SUSAUDIT_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()

# GnuTLS (FreeTDS on Debian is built with it): the TDS test server's TLS, and susaudit's own
# TLS probe that tells why a FreeTDS handshake failed (src/dbsource_tls.c).
pkg_check_modules(GNUTLS REQUIRED IMPORTED_TARGET gnutls)
include(${CMAKE_CURRENT_LIST_DIR}/freetds_version.cmake)
