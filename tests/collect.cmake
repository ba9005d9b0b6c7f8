# Collector tests: db-lib against TDS test servers serving the fixture SUSDBs.
add_library(fixture_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/fixture_hierarchy.c
  ${CMAKE_CURRENT_LIST_DIR}/support/run_binary.c ${CMAKE_CURRENT_LIST_DIR}/support/fixture_dir.c)
target_include_directories(fixture_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_compile_definitions(fixture_support PRIVATE
  SUSAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  SUSAUDIT_TEST_TMPDIR="${CMAKE_CURRENT_BINARY_DIR}/tmp")
target_link_libraries(fixture_support PUBLIC susaudit_core tds_harness PkgConfig::CMOCKA)

susaudit_add_test(test_collect SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_collect.c
  LIBS fixture_support LABELS collect)
susaudit_add_test(test_queries_bsqldb SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_queries_bsqldb.c
  LIBS fixture_support LABELS collect)
susaudit_add_test(test_collect_dbsource SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_collect_dbsource.c
  LIBS fixture_support LABELS collect)
# Topic "tls": connection facts, verification messages and --require-verified-tls over TLS.
susaudit_add_test(test_collect_tls SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_collect_tls.c
  LIBS fixture_support PkgConfig::SQLITE3 LABELS collect TIMEOUT 180)
# Topic "tls": host\instance through SQL Browser (UDP 1434) in a network namespace of its own.
susaudit_add_test(test_collect_browser SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_collect_browser.c
  LIBS fixture_support LABELS collect TIMEOUT 120)
