# Consumer tests: install into a temporary prefix and use find_package, and
# use the source tree through add_subdirectory.
if(MODELSTATE_INSTALL)
  set(_ms_consumer_args
      -DSOURCE=${PROJECT_SOURCE_DIR} -DBUILD=${PROJECT_BINARY_DIR}
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/consumer
      -DCXX=${CMAKE_CXX_COMPILER}
      -P ${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.cmake)
  add_test(NAME consumer_install
           COMMAND ${CMAKE_COMMAND} -DMODE=install ${_ms_consumer_args})
  set_tests_properties(consumer_install PROPERTIES
                       FIXTURES_SETUP modelstate_installed)
  add_test(NAME consumer_find_package
           COMMAND ${CMAKE_COMMAND} -DMODE=find_package ${_ms_consumer_args})
  set_tests_properties(consumer_find_package PROPERTIES
                       FIXTURES_REQUIRED modelstate_installed)
  add_test(NAME consumer_add_subdirectory
           COMMAND ${CMAKE_COMMAND} -DMODE=add_subdirectory
                   ${_ms_consumer_args})
endif()
