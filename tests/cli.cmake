# The binary end to end: command line, exit codes, audits through FreeTDS.
susaudit_add_test(test_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_cli.c
  LIBS fixture_support LABELS cli)
# cmake --install into a temporary prefix: units and cron run the installed binary
add_test(NAME test_install
  COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR}
          -DPREFIX=${CMAKE_CURRENT_BINARY_DIR}/tmp/install-prefix
          -P ${CMAKE_CURRENT_LIST_DIR}/unit/test_install.cmake)
set_tests_properties(test_install PROPERTIES LABELS cli TIMEOUT 120)
# Every reference the program can print (rules, SUSDB facts, documents) resolves to a shipped
# document.
susaudit_add_test(test_references
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_references.c LABELS cli TIMEOUT 30)
# susaudit validate: the file, the passwords, and with --connect a login and a schema probe.
susaudit_add_test(test_validate SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_validate.c
  LIBS fixture_support LABELS cli TIMEOUT 120)
