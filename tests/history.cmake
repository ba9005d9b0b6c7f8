# History and the BITS fix: audits into a store, `susaudit history`, `susaudit fix`.
susaudit_add_test(test_history SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_history.c
  LIBS fixture_support LABELS history)
susaudit_add_test(test_fix SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_fix.c
  LIBS fixture_support LABELS history)
