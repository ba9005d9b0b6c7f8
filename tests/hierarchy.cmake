# Hierarchy (and plan) file loader, passwords, and the suppression file.
susaudit_add_test(test_hierarchy
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_hierarchy.c
  LABELS hierarchy TIMEOUT 120)
susaudit_add_test(test_suppress
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_suppress.c
  LABELS hierarchy TIMEOUT 60)
# The README's example hierarchy and plan files: shipped, shown verbatim, loadable.
susaudit_add_test(test_examples
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_examples.c LABELS hierarchy TIMEOUT 30)
