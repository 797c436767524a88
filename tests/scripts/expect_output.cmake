cmake_policy(SET CMP0007 NEW)
# Runs a program and checks its standard output.
#   cmake -DPROGRAM=<exe> [-DARGS=a;b] [-DREADME=<README.md>]
#         [-DEXPECT=<file with the expected lines>] -P expect_output.cmake
# With README, the expected output is the first ```text block of README.md.
# Every expected line must appear in the output, in the given order.
execute_process(COMMAND ${PROGRAM} ${ARGS} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}\n${err}")
endif()

if(README)
  file(READ "${README}" text)
  string(FIND "${text}" "```text\n" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "no ```text block in ${README}")
  endif()
  math(EXPR start "${start} + 8")
  string(SUBSTRING "${text}" ${start} -1 text)
  string(FIND "${text}" "```" end)
  string(SUBSTRING "${text}" 0 ${end} expected)
else()
  file(READ "${EXPECT}" expected)
endif()

string(REPLACE "\n" ";" expected_lines "${expected}")
string(REPLACE "\n" ";" output_lines "${out}")
set(position 0)
list(LENGTH output_lines count)
foreach(line IN LISTS expected_lines)
  if(line STREQUAL "")
    continue()
  endif()
  set(found FALSE)
  while(position LESS count)
    list(GET output_lines ${position} candidate)
    math(EXPR position "${position} + 1")
    if(candidate STREQUAL line)
      set(found TRUE)
      break()
    endif()
  endwhile()
  if(NOT found)
    message(FATAL_ERROR "expected line not found (in order): '${line}'\n"
                        "--- output ---\n${out}")
  endif()
endforeach()
