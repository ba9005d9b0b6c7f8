# Issue 12 part B (trust-cli): outputs that are devices, FIFOs or links, input FIFOs, nothing
# evaluated, failed writes, signals, collection time in reports, NUL and bidi text.
susaudit_add_test(test_trust_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_trust_cli.c
  LIBS reliability_support LABELS cli reliability TIMEOUT 180)
susaudit_add_test(test_signals SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_signals.c
  LIBS reliability_support LABELS reliability TIMEOUT 240)
