# The multi-node view: node reports merged per model, packages, transitions.
modelstate_add_test(cluster_test SOURCES cluster_test.cpp LABELS cluster)

# The worked example of docs/cluster.md: two nodes and a YAML package file
# through the tool, whose lines and reconcile line the page shows.
if(TARGET modelstate_tool AND TARGET modelstate::yaml)
  set(_ms_cluster_example ${PROJECT_SOURCE_DIR}/examples/cluster)
  set(_ms_cluster_args ${_ms_cluster_example}/node-a.json
      ${_ms_cluster_example}/node-b.json
      --packages ${_ms_cluster_example}/packages.yaml)

  add_test(NAME cluster_example_lines
           COMMAND modelstate_tool -q ${_ms_cluster_args})
  set_tests_properties(cluster_example_lines PROPERTIES
    LABELS cluster
    PASS_REGULAR_EXPRESSION
    "^/model/lane-detector/state MODEL_STATE_FAILED\n/model/map-cache/state MODEL_STATE_UNKNOWN\n/model/steering-advisor/state MODEL_STATE_RUNNING\n/package/driver-assist/state PACKAGE_STATE_DEGRADED\n/package/maps/state PACKAGE_STATE_RUNNING\n$")

  add_test(NAME cluster_example_log COMMAND modelstate_tool ${_ms_cluster_args})
  set_tests_properties(cluster_example_log PROPERTIES
    LABELS cluster
    PASS_REGULAR_EXPRESSION
    "Reconcile needed for package: driver-assist\n  Status: Container list processing completed\n")
endif()
