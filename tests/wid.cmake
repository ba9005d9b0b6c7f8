# wid (servers on the Windows Internal Database): the export format, its import, the
# PowerShell collector.
susaudit_add_test(test_export SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_export.c
  LIBS fixture_support LABELS wid)
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
susaudit_add_test(test_import SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_import.c
  LIBS fixture_support LABELS wid)
# the importer under libFuzzer (a -DSUSAUDIT_FUZZ=ON build, see tests/reliability.cmake)
if(SUSAUDIT_FUZZ)
  add_executable(fuzz_export ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_export.c)
  target_link_libraries(fuzz_export PRIVATE susaudit_core)
  target_link_options(fuzz_export PRIVATE -fsanitize=fuzzer)
  set(export_corpus ${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus/fuzz_export)
  file(MAKE_DIRECTORY ${export_corpus})
  add_test(NAME fuzz_export COMMAND fuzz_export -max_total_time=${SUSAUDIT_FUZZ_SECONDS}
    -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 ${export_corpus}
    ${CMAKE_CURRENT_LIST_DIR}/fuzz/seeds/export)
  set_tests_properties(fuzz_export PROPERTIES LABELS fuzz TIMEOUT 600)
  add_dependencies(fuzzers fuzz_export)
endif()
# `cmake --install` puts the collector beside the binary
add_test(NAME test_install_collector
  COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR}
          -DPREFIX=${CMAKE_CURRENT_BINARY_DIR}/tmp/install-collector
          -P ${CMAKE_CURRENT_LIST_DIR}/unit/test_install_collector.cmake)
set_tests_properties(test_install_collector PROPERTIES LABELS "wid;cli" TIMEOUT 120)
