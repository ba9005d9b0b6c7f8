# Compiler warnings and sanitizers shared by every target of the project.
add_library(susaudit_warnings INTERFACE)
target_compile_options(susaudit_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wwrite-strings -Wundef -Wno-format-nonliteral)
if(SUSAUDIT_WERROR)
  target_compile_options(susaudit_warnings INTERFACE -Werror)
endif()
# POSIX 2008 for strdup, clock_gettime, getline and friends; C11 otherwise.
target_compile_definitions(susaudit_warnings INTERFACE _POSIX_C_SOURCE=200809L _XOPEN_SOURCE=700 _DEFAULT_SOURCE)

if(SUSAUDIT_SANITIZE)
  set(susaudit_san_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  target_compile_options(susaudit_warnings INTERFACE ${susaudit_san_flags} -g)
  target_link_options(susaudit_warnings INTERFACE ${susaudit_san_flags})
endif()
