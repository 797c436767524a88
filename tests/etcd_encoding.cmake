# Encoding for etcd's v3 JSON gateway (needs nlohmann_json).
if(TARGET modelstate::json)
  modelstate_add_test(etcd_encoding_test SOURCES etcd_encoding_test.cpp
                      LIBS modelstate::json)
endif()
