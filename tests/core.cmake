# The core's tests: one program per header, labelled "core".
modelstate_add_test(vocabulary_test SOURCES vocabulary_test.cpp LABELS core)
modelstate_add_test(classify_test SOURCES classify_test.cpp LABELS core)
modelstate_add_test(record_test SOURCES record_test.cpp LABELS core)
modelstate_add_test(evaluate_test SOURCES evaluate_test.cpp LABELS core)
# Replaces the global operator new, so it runs in a program of its own.
modelstate_add_test(alloc_test SOURCES alloc_test.cpp LABELS core)
modelstate_add_test(group_test SOURCES group_test.cpp LABELS core)
modelstate_add_test(key_test SOURCES key_test.cpp LABELS core)
modelstate_add_test(sink_test SOURCES sink_test.cpp LABELS core)
modelstate_add_test(pipeline_test SOURCES pipeline_test.cpp LABELS core)
modelstate_add_test(log_test SOURCES log_test.cpp LABELS core)

# Must-compile and must-not-compile checks, run by CTest: each source is
# compiled for syntax and semantics only, with the compiler and language
# standard of the build. Every must-not-compile source has a twin built with
# MODELSTATE_COMPILE_FIXED that must compile, which proves the failure comes
# from the one defect the source is about.
if(NOT MSVC)
  if(CMAKE_CXX_STANDARD)
    set(_ms_core_std ${CMAKE_CXX_STANDARD})
  else()
    set(_ms_core_std 17)
  endif()

  function(_ms_core_compile_check name source expect)
    cmake_parse_arguments(arg "" "MISSING" "DEFINES" ${ARGN})
    add_test(NAME ${name}
             COMMAND ${CMAKE_COMMAND}
                     -DCOMPILER=${CMAKE_CXX_COMPILER}
                     -DSTANDARD=${_ms_core_std}
                     -DINCLUDE=${PROJECT_SOURCE_DIR}/include
                     -DSOURCE=${CMAKE_CURRENT_SOURCE_DIR}/compile/${source}
                     -DEXPECT=${expect}
                     -DMISSING=${arg_MISSING}
                     "-DDEFINES=${arg_DEFINES}"
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/compile/run.cmake)
    set_tests_properties(${name} PROPERTIES LABELS "core;compile")
  endfunction()

  foreach(_case IN ITEMS sink_without_put:put record_without_state:state
                         target_without_put:put)
    string(REPLACE ":" ";" _case "${_case}")
    list(GET _case 0 _source)
    list(GET _case 1 _missing)
    _ms_core_compile_check(core_compile_fails_${_source} ${_source}.cpp fail
                           MISSING ${_missing})
    _ms_core_compile_check(core_compile_fixed_${_source} ${_source}.cpp pass
                           DEFINES -DMODELSTATE_COMPILE_FIXED)
  endforeach()

  foreach(_source IN ITEMS valid_sink callable_sink)
    _ms_core_compile_check(core_compile_${_source} ${_source}.cpp pass)
  endforeach()
endif()
