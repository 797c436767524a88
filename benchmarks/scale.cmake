# The tool's path at scale: decoding, processing and printing 1,000 to
# 100,000 containers; needs nlohmann_json for the decoder.
if(TARGET modelstate::json)
  modelstate_add_benchmark(scale_benchmark SOURCES scale_benchmark.cpp
                           LIBS modelstate::json)
endif()
