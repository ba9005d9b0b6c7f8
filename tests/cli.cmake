# The binary end to end: command line, exit codes, audits through FreeTDS.
susaudit_add_test(test_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_cli.c
  LIBS fixture_support LABELS cli)
