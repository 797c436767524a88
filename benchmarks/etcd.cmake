# Writes to a real etcd through the example etcd sink (needs the examples
# for the sink, and etcd-server to start an etcd of its own).
if(TARGET modelstate_etcd_sink)
  modelstate_add_benchmark(etcd_benchmark SOURCES etcd_benchmark.cpp
                           LIBS modelstate_etcd_sink)
  target_compile_definitions(etcd_benchmark PRIVATE
    MODELSTATE_ETCD_SCRIPTS="${PROJECT_SOURCE_DIR}/tests/etcd")
endif()
