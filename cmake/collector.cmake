cmake_minimum_required(VERSION 3.25)
# Run as `cmake -DTEMPLATE=... -DOUT=... -DROOT=... -DVERSION=... -DFILES="a|b" -P collector.cmake`.
# Writes the PowerShell collector from its template, embedding each query of FILES (paths below
# ROOT, in the order the collector reads them) with its id and the SHA-256 of its bytes, so the
# script runs exactly the text susaudit runs over TDS and an import can check it did.
if(NOT TEMPLATE OR NOT OUT OR NOT ROOT OR NOT VERSION OR NOT FILES)
  message(FATAL_ERROR "collector.cmake needs TEMPLATE, OUT, ROOT, VERSION and FILES")
endif()

string(REPLACE "|" ";" FILES "${FILES}")
set(queries "")
foreach(rel IN LISTS FILES)
  get_filename_component(id "${rel}" NAME_WE)
  file(READ "${ROOT}/${rel}" text)
  file(SHA256 "${ROOT}/${rel}" digest)
  # the script is ASCII so that Windows PowerShell 5.1 reads it right without a BOM; a query
  # is embedded as a single-quoted here-string, which nothing but a line starting with '@ ends
  if(text MATCHES "[^\t\n -~]")
    message(FATAL_ERROR "${rel}: only printable ASCII, tab and LF can be embedded in the collector")
  endif()
  if(text MATCHES "(^|\n)'@")
    message(FATAL_ERROR "${rel}: a line starting with '@ would end the script's here-string")
  endif()
  if(NOT text MATCHES "\n$")
    message(FATAL_ERROR "${rel}: must end with a newline")
  endif()
  # a here-string drops the newline before its end: the script adds it back
  string(REGEX REPLACE "\n$" "" body "${text}")
  string(APPEND queries "$text = @'\n${body}\n'@\n")
  string(APPEND queries "[void]$Queries.Add(@{ Id = '${id}'; Sha256 = '${digest}'; Text = $text + \"`n\" })\n\n")
endforeach()

file(READ "${TEMPLATE}" script)
string(REPLACE "@SUSAUDIT_VERSION@" "${VERSION}" script "${script}")
string(REPLACE "# @SUSAUDIT_QUERIES@\n" "${queries}" script "${script}")
if(script MATCHES "@SUSAUDIT_[A-Z_]+@")
  message(FATAL_ERROR "${TEMPLATE}: a placeholder was left unreplaced")
endif()
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL "${script}")
  file(WRITE "${OUT}" "${script}")
endif()
