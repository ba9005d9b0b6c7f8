# test_install_collector (wid): `cmake --install` puts susaudit-collect.ps1 beside the binary,
# with this build's version in it. Run as
#   cmake -DBUILD_DIR=... -DPREFIX=... -P test_install_collector.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
foreach(file bin/susaudit bin/susaudit-collect.ps1)
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "not installed: ${PREFIX}/${file}")
  endif()
endforeach()
file(READ "${PREFIX}/bin/susaudit-collect.ps1" script)
if(NOT script MATCHES "\\$CollectorVersion = '[0-9]+\\.[0-9]+\\.[0-9]+'")
  message(FATAL_ERROR "the installed collector has no version")
endif()
if(script MATCHES "@SUSAUDIT_")
  message(FATAL_ERROR "the installed collector is the template, not the generated script")
endif()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "the collector is installed beside the binary")
