# contrib: the systemd units and the cron example, installed with the binary's real path.
# The files in contrib/ name /usr/bin/susaudit (a distribution package's path). At install
# time the path is rewritten to where `cmake --install` puts the binary (it honours --prefix
# and DESTDIR), so an installed unit never runs a binary that is not there.
set(SUSAUDIT_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where the systemd units are installed, relative to the prefix")
set(SUSAUDIT_EXAMPLES_DIR "${CMAKE_INSTALL_DATADIR}/doc/susaudit/examples")

install(CODE "
  set(bindir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  if(IS_ABSOLUTE \"${CMAKE_INSTALL_BINDIR}\")
    set(bindir \"${CMAKE_INSTALL_BINDIR}\")
  endif()
  foreach(pair \"susaudit.service;${SUSAUDIT_UNIT_DIR}\" \"susaudit.timer;${SUSAUDIT_UNIT_DIR}\"
               \"susaudit.cron;${SUSAUDIT_EXAMPLES_DIR}\")
    list(GET pair 0 name)
    list(GET pair 1 dir)
    if(NOT IS_ABSOLUTE \"\${dir}\")
      set(dir \"\${CMAKE_INSTALL_PREFIX}/\${dir}\")
    endif()
    file(READ \"${CMAKE_CURRENT_LIST_DIR}/\${name}\" text)
    string(REPLACE \"/usr/bin/susaudit\" \"\${bindir}/susaudit\" text \"\${text}\")
    file(WRITE \"\$ENV{DESTDIR}\${dir}/\${name}\" \"\${text}\")
    message(STATUS \"Installing: \$ENV{DESTDIR}\${dir}/\${name}\")
  endforeach()
")
