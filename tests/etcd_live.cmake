# The etcd sink of the examples and the tool's --etcd, against a real etcd
# (the "etcd" fixture of etcd.cmake, which this file must sort after).
if(TARGET modelstate_etcd_sink)
  # Without etcd: endpoint parsing and failures when nothing answers.
  modelstate_add_test(etcd_sink_test SOURCES etcd_sink_test.cpp
                      LIBS modelstate_etcd_sink LABELS etcd)

  modelstate_add_etcd_test(etcd_live_test SOURCES etcd_live_test.cpp
                           LIBS modelstate_etcd_sink)

  if(TARGET modelstate_tool)
    modelstate_add_etcd_test(etcd_tool_test SOURCES etcd_tool_test.cpp
                             LIBS modelstate_etcd_sink)
    add_dependencies(etcd_tool_test modelstate_tool)
    target_compile_definitions(etcd_tool_test PRIVATE
      MODELSTATE_TOOL="$<TARGET_FILE:modelstate_tool>"
      MODELSTATE_ETCD_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data/etcd"
      MODELSTATE_SAMPLE_REPORT="${PROJECT_SOURCE_DIR}/examples/container_list.json")
  endif()
endif()
