# A real etcd for the tests that need one: started once per test run on
# loopback (CTest fixture "etcd"), stopped afterwards. Without etcd the
# start fails with a message and every test that needs it fails too.
set(MODELSTATE_ETCD_STATE ${CMAKE_CURRENT_BINARY_DIR}/etcd-state)
add_test(NAME etcd_start
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/etcd/etcd-start.sh
                 ${MODELSTATE_ETCD_STATE})
add_test(NAME etcd_stop
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/etcd/etcd-stop.sh
                 ${MODELSTATE_ETCD_STATE})
set_tests_properties(etcd_start PROPERTIES FIXTURES_SETUP etcd)
set_tests_properties(etcd_stop PROPERTIES FIXTURES_CLEANUP etcd)

# modelstate_add_etcd_test(NAME SOURCES src... [LIBS lib...])
# A Catch2 test that talks to the fixture's etcd. The environment tells it
# where: MODELSTATE_ETCD_STATE (the fixture's state directory, whose file
# "endpoint" holds the URL) and MODELSTATE_ETCD_SCRIPTS (the start and stop
# scripts, for tests that start servers of their own).
function(modelstate_add_etcd_test name)
  cmake_parse_arguments(arg "" "" "SOURCES;LIBS" ${ARGN})
  modelstate_add_test(${name} SOURCES ${arg_SOURCES} LIBS ${arg_LIBS}
                      LABELS etcd FIXTURES etcd)
  set_tests_properties(${name} PROPERTIES
    RESOURCE_LOCK etcd
    ENVIRONMENT "MODELSTATE_ETCD_STATE=${MODELSTATE_ETCD_STATE};MODELSTATE_ETCD_SCRIPTS=${CMAKE_CURRENT_SOURCE_DIR}/etcd")
endfunction()
