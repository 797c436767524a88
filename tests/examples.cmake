# The README example and the scenario demo, run and checked.
if(TARGET modelstate_readme)
  add_test(NAME readme_example
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:modelstate_readme>
                   -DREADME=${PROJECT_SOURCE_DIR}/README.md
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/expect_output.cmake)
endif()
if(TARGET modelstate_scenarios)
  add_test(NAME scenarios_demo
           COMMAND ${CMAKE_COMMAND}
                   -DPROGRAM=$<TARGET_FILE:modelstate_scenarios>
                   -DEXPECT=${CMAKE_CURRENT_SOURCE_DIR}/data/scenarios.expected
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/expect_output.cmake)
endif()
