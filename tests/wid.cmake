# wid (servers on the Windows Internal Database): the export format, its import, the
# PowerShell collector.
susaudit_add_test(test_export SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_export.c LABELS wid)
susaudit_add_test(test_export_roundtrip
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_export_roundtrip.c
  LIBS fixture_support LABELS "wid;collect")
susaudit_add_test(test_collector_script
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_collector_script.c LABELS wid)
target_compile_definitions(test_collector_script PRIVATE
  SUSAUDIT_COLLECTOR_SCRIPT="${SUSAUDIT_COLLECTOR_SCRIPT}")
add_dependencies(test_collector_script susaudit_collector)
# the collector parsed with a real PowerShell grammar (tree-sitter-powershell, pinned in
# tests/ps-parse/package-lock.json; run.sh installs it with npm ci into the build folder)
add_test(NAME ps_parse_collector
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/ps-parse/run.sh ${CMAKE_CURRENT_BINARY_DIR}/ps-parse
          ${SUSAUDIT_COLLECTOR_SCRIPT})
set_tests_properties(ps_parse_collector PROPERTIES TIMEOUT 600 LABELS wid)
# stale-data and the data_apart evidence, on the checks' in-memory world
susaudit_add_test(test_checks_freshness
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_checks_freshness.c ${checks_support}
  LIBS PkgConfig::SQLITE3 LABELS "wid;checks")
target_include_directories(test_checks_freshness PRIVATE ${CMAKE_CURRENT_LIST_DIR}/support)
# the export attribute, a bad export failing only its server, the sql="wid" remedy
susaudit_add_test(test_import SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_import.c LABELS wid)
