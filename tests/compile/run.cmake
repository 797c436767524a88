# Compiles one source for syntax and semantics only, and checks the result.
#
#   cmake -DCOMPILER=c++ -DSTANDARD=17 -DINCLUDE=dir -DSOURCE=file.cpp
#         -DEXPECT=pass|fail [-DMISSING=word] [-DDEFINES=-DX] -P run.cmake
#
# EXPECT=pass: the source must compile without a warning. EXPECT=fail: it
# must fail, and with a static assertion whose message starts with
# "modelstate:" and then names MISSING on the same line; any other failure
# (a typo, a missing header) does not count.
set(flags -fsyntax-only -std=c++${STANDARD} -Wall -Wextra -Wpedantic -Wshadow
    -Wconversion -Wsign-conversion -Werror -I${INCLUDE})
execute_process(
  COMMAND ${COMPILER} ${flags} ${DEFINES} ${SOURCE}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)

if(EXPECT STREQUAL "pass")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} must compile but did not:\n${output}")
  endif()
  message(STATUS "${SOURCE} compiles")
elseif(EXPECT STREQUAL "fail")
  if(result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} must not compile but did")
  endif()
  set(pattern "static.assert[^\n]*failed[^\n]*modelstate: [^\n]*${MISSING}")
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR
            "${SOURCE} failed without a 'modelstate:' static assertion "
            "naming '${MISSING}':\n${output}")
  endif()
  message(STATUS "${SOURCE} fails as it must")
else()
  message(FATAL_ERROR "EXPECT must be pass or fail, not '${EXPECT}'")
endif()
