# History and the BITS fix: audits into a store, `susaudit history`, `susaudit fix`.
susaudit_add_test(test_history SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_history.c
  LIBS fixture_support LABELS history)
susaudit_add_test(test_fix SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_fix.c
  LIBS fixture_support LABELS history)
# Snapshot format 2: migration of a format-1 store, storage by reference, --prune.
susaudit_add_test(test_store_format SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_store_format.c
  LIBS fixture_support LABELS history)
