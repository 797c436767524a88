# Builds and runs the consumer program.
#   cmake -DMODE=install|find_package|add_subdirectory -DWORK=<dir>
#         -DSOURCE=<modelstate source> -DBUILD=<modelstate build>
#         -DCXX=<compiler> -P run.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}")
  endif()
endfunction()

set(consumer "${SOURCE}/tests/consumer")
if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${WORK}/prefix")
  run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${WORK}/prefix")
  return()
elseif(MODE STREQUAL "find_package")
  set(args "-DCMAKE_PREFIX_PATH=${WORK}/prefix")
elseif(MODE STREQUAL "add_subdirectory")
  set(args "-DMODELSTATE_SOURCE_DIR=${SOURCE}")
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

set(dir "${WORK}/${MODE}")
file(REMOVE_RECURSE "${dir}")
run(${CMAKE_COMMAND} -S "${consumer}" -B "${dir}" -DCMAKE_CXX_COMPILER=${CXX}
    -DCMAKE_BUILD_TYPE=Release ${args})
run(${CMAKE_COMMAND} --build "${dir}")
run("${dir}/consumer")
