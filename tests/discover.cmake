# Discovery from the ConfigMgr site database, and ConfigMgr's intent in the audit.
add_library(cm_support STATIC ${CMAKE_CURRENT_LIST_DIR}/support/cm_site_db.c)
target_include_directories(cm_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/support)
target_compile_definitions(cm_support PRIVATE
  SUSAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  SUSAUDIT_TEST_TMPDIR="${CMAKE_CURRENT_BINARY_DIR}/tmp")
target_link_libraries(cm_support PUBLIC fixture_support)
susaudit_add_test(test_discover SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_discover.c
  LIBS cm_support LABELS discover)
