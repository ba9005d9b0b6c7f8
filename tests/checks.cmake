# Tests of the model and the checks: in-memory snapshots built by tests/support/checks_world.c.
set(checks_support ${CMAKE_CURRENT_LIST_DIR}/support/checks_world.c)
foreach(t test_model test_checks test_checks_plan test_registry)
  susaudit_add_test(${t}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/${t}.c ${checks_support}
    LIBS PkgConfig::SQLITE3
    LABELS checks
    TIMEOUT 120)
  target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/support)
endforeach()

# The SUSDB fixtures and every defect patch of tests/fixtures/defects, read with the collector's
# queries through the TDS test server's SQLite side (no network).
susaudit_add_test(test_checks_fixtures
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_checks_fixtures.c
          ${CMAKE_CURRENT_LIST_DIR}/support/checks_susdb.c
          ${CMAKE_CURRENT_LIST_DIR}/support/defect_catalogue.c
  LIBS tds_server_objs PkgConfig::SQLITE3
  LABELS checks
  TIMEOUT 300)
target_include_directories(test_checks_fixtures PRIVATE ${CMAKE_CURRENT_LIST_DIR}/support)

# The same defects served by TDS test servers and collected through FreeTDS db-lib.
susaudit_add_test(test_defects_tds
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_defects_tds.c
          ${CMAKE_CURRENT_LIST_DIR}/support/defect_catalogue.c
  LIBS fixture_support
  LABELS checks
  TIMEOUT 600)

# Maintenance health (issue 16): the checks on the checks world, and over TDS the login without
# VIEW DATABASE STATE and the SUSDB without vwMinimalUpdate.
susaudit_add_test(test_maintenance
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_maintenance.c ${checks_support}
  LIBS fixture_support PkgConfig::SQLITE3
  LABELS checks
  TIMEOUT 300)
target_include_directories(test_maintenance PRIVATE ${CMAKE_CURRENT_LIST_DIR}/support)
