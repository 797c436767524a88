# Tests of the JSON input decoders (modelstate/json.hpp); they need
# nlohmann_json, so they exist only when the modelstate::json target does.
if(TARGET modelstate::json)
  modelstate_add_test(json_test SOURCES json_test.cpp LIBS modelstate::json)
  target_compile_definitions(json_test PRIVATE
    MODELSTATE_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data")
endif()
