# The HTML report in a real browser (headless Chromium, Debian's `chromium`), and every other
# format of the binary end to end; the JSON report against model/report.schema.json.
susaudit_add_test(test_html_browser
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_html_browser.c
  LIBS fixture_support LABELS report browser TIMEOUT 240)
# exits 77 (shown as skipped) only when chromium is not installed
set_tests_properties(test_html_browser PROPERTIES SKIP_RETURN_CODE 77)

add_library(json_schema_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/json_schema.c)
target_include_directories(json_schema_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_link_libraries(json_schema_support PUBLIC susaudit_core)
susaudit_add_test(test_formats_e2e
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_formats_e2e.c
  LIBS fixture_support json_schema_support PkgConfig::LIBXML2 LABELS report cli TIMEOUT 240)
# docs/susaudit.1 names the same commands and options as `susaudit --help`
susaudit_add_test(test_man_page
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_man_page.c
  LIBS fixture_support LABELS cli TIMEOUT 60)
