# Runs the modelstate tool once and checks what it did.
#
#   cmake -DTOOL=<modelstate> [checks...] -P run.cmake -- [tool arguments...]
#
# Everything after "--" is passed to the tool unchanged (empty arguments
# included). Checks:
#   -DSTDIN=<file>           standard input (default: an empty input)
#   -DEXIT=<n>               expected exit status (default 0)
#   -DSTDOUT=<file>          standard output must equal the file exactly
#   -DSTDOUT_EMPTY=ON        standard output must be empty
#   -DSTDOUT_MATCHES=<regex> standard output must match the regex
#   -DSTDERR_EMPTY=ON        standard error must be empty
#   -DSTDERR_HAS_1=<text>... standard error must contain each text
#                            (numbered from 1, any number of them)
#   -DSTDERR_LACKS_1=<text>. standard error must not contain each text
#   -DSTDERR_LINES=<file>    every non-empty line of the file must be a whole
#                            line of standard error, in the file's order
#   -DJSON_CHECKS=<file>     standard output is JSON; each line of the file is
#                              <path...> = <value>   (string(JSON GET))
#                              <path...> # <length>  (string(JSON LENGTH))
#                              <path...> : <type>    (string(JSON TYPE))
#                            path elements separated by blanks, e.g.
#                            "models 0 value = MODEL_STATE_RUNNING"
cmake_minimum_required(VERSION 3.16)
cmake_policy(SET CMP0007 NEW)

if(NOT TOOL)
  message(FATAL_ERROR "run.cmake: give -DTOOL=<path of modelstate>")
endif()

# The tool's arguments: everything after "--".
set(args "")
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND args "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()

if(NOT DEFINED EXIT)
  set(EXIT 0)
endif()
if(NOT STDIN)
  # An empty file stands for an empty standard input, so that the tool
  # never waits on the terminal of whoever runs the tests.
  set(STDIN "${CMAKE_CURRENT_LIST_DIR}/../data/cli/empty.json")
endif()

execute_process(COMMAND "${TOOL}" ${args}
                INPUT_FILE "${STDIN}"
                RESULT_VARIABLE rc
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err)

set(failures "")
macro(fail text)
  string(APPEND failures "  - ${text}\n")
endmacro()

if(NOT rc STREQUAL "${EXIT}")
  fail("exit status ${rc}, expected ${EXIT}")
endif()

if(STDOUT)
  file(READ "${STDOUT}" expected)
  if(NOT out STREQUAL expected)
    fail("standard output differs from ${STDOUT}\n--- expected ---\n${expected}")
  endif()
endif()
if(STDOUT_EMPTY AND NOT out STREQUAL "")
  fail("standard output is not empty")
endif()
if(DEFINED STDOUT_MATCHES AND NOT out MATCHES "${STDOUT_MATCHES}")
  fail("standard output does not match '${STDOUT_MATCHES}'")
endif()

if(STDERR_EMPTY AND NOT err STREQUAL "")
  fail("standard error is not empty")
endif()
set(n 1)
while(DEFINED STDERR_HAS_${n})
  string(FIND "${err}" "${STDERR_HAS_${n}}" at)
  if(at EQUAL -1)
    fail("standard error lacks '${STDERR_HAS_${n}}'")
  endif()
  math(EXPR n "${n} + 1")
endwhile()
set(n 1)
while(DEFINED STDERR_LACKS_${n})
  string(FIND "${err}" "${STDERR_LACKS_${n}}" at)
  if(NOT at EQUAL -1)
    fail("standard error holds '${STDERR_LACKS_${n}}'")
  endif()
  math(EXPR n "${n} + 1")
endwhile()

if(STDERR_LINES)
  file(STRINGS "${STDERR_LINES}" wanted_lines)
  # Lines are compared whole; brackets and semicolons in them would confuse
  # CMake's lists, so they are replaced on both sides.
  string(REPLACE ";" "<semicolon>" err_text "${err}")
  string(REPLACE "[" "<open>" err_text "${err_text}")
  string(REPLACE "]" "<close>" err_text "${err_text}")
  string(REPLACE "\n" ";" err_lines "${err_text}")
  list(LENGTH err_lines count)
  set(position 0)
  foreach(line IN LISTS wanted_lines)
    if(line STREQUAL "")
      continue()
    endif()
    string(REPLACE "[" "<open>" line "${line}")
    string(REPLACE "]" "<close>" line "${line}")
    set(found FALSE)
    while(position LESS count)
      list(GET err_lines ${position} candidate)
      math(EXPR position "${position} + 1")
      if(candidate STREQUAL line)
        set(found TRUE)
        break()
      endif()
    endwhile()
    if(NOT found)
      fail("standard error lacks the line (in order): '${line}'")
      break()
    endif()
  endforeach()
endif()

if(JSON_CHECKS)
  file(STRINGS "${JSON_CHECKS}" checks)
  foreach(check IN LISTS checks)
    if(check STREQUAL "" OR check MATCHES "^#")
      continue()
    endif()
    if(NOT check MATCHES "^([^=#:]*[^ ]) +([=#:]) ?(.*)$")
      message(FATAL_ERROR "run.cmake: cannot read the check '${check}'")
    endif()
    set(want "${CMAKE_MATCH_3}")
    set(op "${CMAKE_MATCH_2}")
    string(REPLACE " " ";" path "${CMAKE_MATCH_1}")
    if(op STREQUAL "=")
      string(JSON got ERROR_VARIABLE json_error GET "${out}" ${path})
    elseif(op STREQUAL "#")
      string(JSON got ERROR_VARIABLE json_error LENGTH "${out}" ${path})
    else()
      string(JSON got ERROR_VARIABLE json_error TYPE "${out}" ${path})
    endif()
    if(NOT json_error STREQUAL "NOTFOUND")
      fail("JSON '${check}': ${json_error}")
    elseif(NOT got STREQUAL want)
      fail("JSON '${check}': got '${got}'")
    endif()
  endforeach()
endif()

if(NOT failures STREQUAL "")
  string(REPLACE ";" " " shown_args "${args}")
  message(FATAL_ERROR "modelstate ${shown_args} < ${STDIN}\n${failures}"
                      "--- standard output ---\n${out}"
                      "--- standard error ---\n${err}")
endif()
