# Package states, the package index and package definitions.
modelstate_add_test(package_test SOURCES package_test.cpp LABELS package)

# Package definitions: the JSON reader needs nlohmann_json (modelstate::json),
# the YAML reader needs yaml-cpp; each part is built when its library is
# found.
find_package(yaml-cpp QUIET)
set(_ms_package_libs "")
set(_ms_package_defs "")
if(TARGET modelstate::json)
  list(APPEND _ms_package_libs modelstate::json)
  list(APPEND _ms_package_defs MODELSTATE_TEST_JSON=1)
endif()
if(TARGET yaml-cpp::yaml-cpp)
  list(APPEND _ms_package_libs yaml-cpp::yaml-cpp)
  list(APPEND _ms_package_defs MODELSTATE_TEST_YAML=1)
elseif(TARGET yaml-cpp)
  list(APPEND _ms_package_libs yaml-cpp)
  list(APPEND _ms_package_defs MODELSTATE_TEST_YAML=1)
endif()

if(_ms_package_libs)
  modelstate_add_test(package_definitions_test
                      SOURCES package_definitions_test.cpp
                      LIBS ${_ms_package_libs} LABELS package)
  target_compile_definitions(package_definitions_test PRIVATE
    ${_ms_package_defs}
    MODELSTATE_PACKAGE_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data/packages")
endif()
