# Hierarchy: the hierarchy/plan file loader, passwords, and the suppression file.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/hierarchy.c
  ${CMAKE_CURRENT_LIST_DIR}/hierarchy_password.c
  ${CMAKE_CURRENT_LIST_DIR}/hierarchy_xml.c
  ${CMAKE_CURRENT_LIST_DIR}/suppress.c
  ${CMAKE_CURRENT_LIST_DIR}/hierarchy_tls.c)
