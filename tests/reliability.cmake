# Reliability and security (issue 8): faults through the binary, read-only batches, crash
# safety, secrets, load, and the libFuzzer harnesses (-DSUSAUDIT_FUZZ=ON, clang only).
add_library(reliability_support STATIC ${CMAKE_CURRENT_LIST_DIR}/unit/reliability_support.c)
target_include_directories(reliability_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/unit)
target_compile_definitions(reliability_support PRIVATE
  SUSAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  SUSAUDIT_TEST_TMPDIR="${CMAKE_CURRENT_BINARY_DIR}/tmp"
  SUSAUDIT_BINARY="$<TARGET_FILE:susaudit>")
target_link_libraries(reliability_support PUBLIC fixture_support PkgConfig::CMOCKA PkgConfig::SQLITE3)

susaudit_add_test(test_faults_matrix SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_faults_matrix.c
  LIBS reliability_support LABELS reliability TIMEOUT 180)
susaudit_add_test(test_readonly SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_readonly.c
  LIBS reliability_support LABELS reliability TIMEOUT 120)
susaudit_add_test(test_crash SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_crash.c
  LIBS reliability_support LABELS reliability TIMEOUT 120)
susaudit_add_test(test_secrets SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_secrets.c
  LIBS reliability_support LABELS reliability TIMEOUT 120)
susaudit_add_test(test_load SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_load.c
  LIBS reliability_support LABELS reliability TIMEOUT 120)
# issue 12 part A: trickling servers, wrong-typed values, lost commits, configuration errors
susaudit_add_test(test_trust_collect SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_trust_collect.c
  LIBS reliability_support LABELS reliability TIMEOUT 240)

# libFuzzer harnesses: configure a separate build with clang and -DSUSAUDIT_FUZZ=ON. The
# whole library is then built with -fsanitize=fuzzer-no-link (coverage) plus ASan/UBSan; each
# harness runs for SUSAUDIT_FUZZ_SECONDS (default 20) as a test, from a seed corpus.
option(SUSAUDIT_FUZZ "Build the libFuzzer harnesses (clang only)" OFF)
set(SUSAUDIT_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzzer runs as a test")
if(SUSAUDIT_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SUSAUDIT_FUZZ needs clang (CC=clang)")
  endif()
  target_compile_options(susaudit_warnings INTERFACE -fsanitize=fuzzer-no-link)
  set(fuzz_dir ${CMAKE_CURRENT_LIST_DIR}/fuzz)
  set(fuzz_names fuzz_hierarchy fuzz_suppress)
  add_executable(fuzz_hierarchy ${fuzz_dir}/fuzz_hierarchy.c)
  add_executable(fuzz_suppress ${fuzz_dir}/fuzz_suppress.c)
  foreach(fmt text json html junit csv nagios)
    string(TOUPPER ${fmt} FMT)
    add_executable(fuzz_report_${fmt} ${fuzz_dir}/fuzz_report.c
      ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_json_check.c)
    target_include_directories(fuzz_report_${fmt} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit)
    target_compile_definitions(fuzz_report_${fmt} PRIVATE FUZZ_FORMAT=REPORT_${FMT})
    if(fmt STREQUAL "json")
      target_compile_definitions(fuzz_report_${fmt} PRIVATE FUZZ_CHECK_JSON)
    elseif(fmt STREQUAL "html")
      target_compile_definitions(fuzz_report_${fmt} PRIVATE FUZZ_CHECK_HTML)
    endif()
    list(APPEND fuzz_names fuzz_report_${fmt})
  endforeach()
  foreach(f ${fuzz_names})
    target_link_libraries(${f} PRIVATE susaudit_core)
    target_link_options(${f} PRIVATE -fsanitize=fuzzer)
    set(corpus ${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus/${f})
    file(MAKE_DIRECTORY ${corpus})
    if(f STREQUAL "fuzz_hierarchy")
      set(seeds ${PROJECT_SOURCE_DIR}/tests/fixtures/hierarchy-files)
    elseif(f STREQUAL "fuzz_suppress")
      set(seeds ${fuzz_dir}/seeds/suppress)
    else()
      # hostile values, written by printf so the repository holds text only: markup,
      # quotes, terminal escapes, invalid UTF-8, a lone UTF-16 surrogate (CESU), CSV
      # formula, CDATA end; the second asks for a 1 MB title
      set(seeds ${CMAKE_CURRENT_BINARY_DIR}/fuzz-seeds/report)
      file(MAKE_DIRECTORY ${seeds})
      execute_process(COMMAND printf "wsus1\\0<script>alert(1)</script>\\0\"q\", 'x'\\0\\001\\033[31m\\177\\0\\377\\376\\300\\257\\355\\240\\200\\0a\\0b\\0c\\0d\\0\\343\\201\\202\\0\\330\\0k\\0v\\0</script>\\0]]>\\0=cmd|x"
        OUTPUT_FILE ${seeds}/hostile)
      execute_process(COMMAND printf "\\377\\376\\375big title\\0x" OUTPUT_FILE ${seeds}/huge)
    endif()
    add_test(NAME ${f} COMMAND ${f} -max_total_time=${SUSAUDIT_FUZZ_SECONDS}
      -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 ${corpus} ${seeds})
    set_tests_properties(${f} PROPERTIES LABELS fuzz
      TIMEOUT 600)
  endforeach()
endif()
if(SUSAUDIT_FUZZ)
  add_custom_target(fuzzers DEPENDS ${fuzz_names})
endif()
