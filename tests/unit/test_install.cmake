# test_install: `cmake --install` into a fresh prefix puts the binary, the man page, the systemd
# units and the cron example there, and the units and the cron line run the binary that was
# installed (not /usr/bin/susaudit). Run as
#   cmake -DBUILD_DIR=... -DPREFIX=... -P test_install.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()

set(bin "${PREFIX}/bin/susaudit")
if(NOT EXISTS "${bin}")
  message(FATAL_ERROR "no binary at ${bin}")
endif()
if(NOT EXISTS "${PREFIX}/share/man/man1/susaudit.1")
  message(FATAL_ERROR "no man page under ${PREFIX}/share/man/man1")
endif()

foreach(file "lib/systemd/system/susaudit.service" "share/doc/susaudit/examples/susaudit.cron")
  set(path "${PREFIX}/${file}")
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "not installed: ${path}")
  endif()
  file(READ "${path}" text)
  if(text MATCHES "/usr/bin/susaudit")
    message(FATAL_ERROR "${path} still runs /usr/bin/susaudit")
  endif()
  string(FIND "${text}" "${bin} audit" at)
  if(at LESS 0)
    message(FATAL_ERROR "${path} does not run ${bin}")
  endif()
endforeach()
if(NOT EXISTS "${PREFIX}/lib/systemd/system/susaudit.timer")
  message(FATAL_ERROR "the timer was not installed")
endif()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "installed layout and unit paths agree")
