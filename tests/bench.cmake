# The benchmark (bench/): its query printer, and a tiny run that proves the benchmark still works.
# No figure is checked here: the benchmark is never a timed test.
add_executable(bench-queries ${PROJECT_SOURCE_DIR}/bench/bench_queries.c)
target_link_libraries(bench-queries PRIVATE susaudit_core)

find_program(SUSAUDIT_BSQLDB bsqldb)
find_program(SUSAUDIT_SQLITE3 sqlite3)
find_program(SUSAUDIT_GNU_TIME time PATHS /usr/bin NO_DEFAULT_PATH)
if(SUSAUDIT_BSQLDB AND SUSAUDIT_SQLITE3 AND SUSAUDIT_GNU_TIME)
  add_test(NAME bench_smoke
    COMMAND ${PROJECT_SOURCE_DIR}/bench/run.sh --smoke --build ${CMAKE_BINARY_DIR}
            --out ${CMAKE_CURRENT_BINARY_DIR}/tmp/bench-smoke
            --json ${CMAKE_CURRENT_BINARY_DIR}/tmp/bench-smoke/results.json)
  set_tests_properties(bench_smoke PROPERTIES TIMEOUT 120 LABELS bench
    PASS_REGULAR_EXPRESSION "breadth RSS 30 / 2 servers")
  add_dependencies(bench-queries susaudit susdb-tds-server susdb-gen)
else()
  message(STATUS "bench_smoke not registered: bsqldb, sqlite3 or /usr/bin/time is missing")
endif()
