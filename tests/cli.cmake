# Tests of the modelstate command-line tool: each runs the tool once and
# checks its exit status, standard output and standard error (see
# cli/run.cmake). Inputs and expected outputs are in data/cli, which is the
# working directory of every test.
if(NOT TARGET modelstate_tool)
  return()
endif()

set(_ms_cli_data ${CMAKE_CURRENT_SOURCE_DIR}/data/cli)
set(_ms_cli_work ${CMAKE_CURRENT_BINARY_DIR}/cli)

# modelstate_cli_test(NAME [ARGS arg...] [STDIN file] [EXIT n]
#                     [STDOUT file] [STDOUT_EMPTY] [STDOUT_MATCHES regex]
#                     [STDERR_EMPTY] [STDERR_HAS text...]
#                     [STDERR_LACKS text...] [STDERR_LINES file]
#                     [JSON_CHECKS file] [FIXTURES fixture...]
#                     [TIMEOUT seconds] [LABELS label...])
# Files are relative to data/cli. Every test has the label "cli".
function(modelstate_cli_test name)
  cmake_parse_arguments(arg "STDOUT_EMPTY;STDERR_EMPTY"
    "STDIN;EXIT;STDOUT;STDOUT_MATCHES;STDERR_LINES;JSON_CHECKS;TIMEOUT"
    "ARGS;STDERR_HAS;STDERR_LACKS;FIXTURES;LABELS" ${ARGN})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 60)
  endif()

  set(defs -DTOOL=$<TARGET_FILE:modelstate_tool>)
  foreach(option STDIN EXIT STDOUT STDOUT_MATCHES STDERR_LINES JSON_CHECKS)
    if(DEFINED arg_${option})
      list(APPEND defs "-D${option}=${arg_${option}}")
    endif()
  endforeach()
  foreach(flag STDOUT_EMPTY STDERR_EMPTY)
    if(arg_${flag})
      list(APPEND defs -D${flag}=ON)
    endif()
  endforeach()
  foreach(kind HAS LACKS)
    set(n 0)
    foreach(text IN LISTS arg_STDERR_${kind})
      math(EXPR n "${n} + 1")
      list(APPEND defs "-DSTDERR_${kind}_${n}=${text}")
    endforeach()
  endforeach()

  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} ${defs}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run.cmake -- ${arg_ARGS}
           WORKING_DIRECTORY ${_ms_cli_data})
  set_tests_properties(${name} PROPERTIES LABELS "cli;${arg_LABELS}"
                       TIMEOUT ${arg_TIMEOUT})
  if(arg_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${arg_FIXTURES}")
  endif()
endfunction()

set(_ms_sample ${PROJECT_SOURCE_DIR}/examples/container_list.json)

# The sample ContainerList: its line, and the processing log.
modelstate_cli_test(cli_sample_prints_the_model_line
  ARGS ${_ms_sample} STDOUT sample.out STDERR_LINES sample.log)
modelstate_cli_test(cli_sample_is_read_from_stdin_without_files
  STDIN ${_ms_sample} STDOUT sample.out
  STDERR_HAS "Node Name: worker-node-01")
modelstate_cli_test(cli_dash_reads_stdin
  ARGS - STDIN ${_ms_sample} STDOUT sample.out)

# The four scenarios, in each input format; the same containers give the
# same line whatever the format.
foreach(scenario running paused dead exited)
  foreach(format container_list podman docker)
    modelstate_cli_test(cli_scenario_${scenario}_${format}
      ARGS -q scenarios/${scenario}.${format}.json
      STDOUT scenarios/${scenario}.out STDERR_EMPTY)
  endforeach()
endforeach()
modelstate_cli_test(cli_podman_nonzero_exit_code_fails_the_model
  ARGS -q podman_crashed.json STDOUT scenarios/dead.out)

# Options.
modelstate_cli_test(cli_quiet_silences_the_log
  ARGS -q ${_ms_sample} STDOUT sample.out STDERR_EMPTY)
modelstate_cli_test(cli_quiet_long_form_silences_the_log
  ARGS --quiet ${_ms_sample} STDOUT sample.out STDERR_EMPTY)
modelstate_cli_test(cli_json_reports_models_containers_and_transitions
  ARGS -q --json ${_ms_sample} JSON_CHECKS json_sample.checks STDERR_EMPTY)
modelstate_cli_test(cli_json_reports_rejected_names
  ARGS -q --json hostile.json EXIT 1 JSON_CHECKS json_rejected.checks)
modelstate_cli_test(cli_json_reports_packages_and_reconcile
  ARGS -q --json --packages package.yaml package_models.json
  JSON_CHECKS json_packages.checks)
modelstate_cli_test(cli_json_merges_nodes
  ARGS -q --json node_a.json node_b.json JSON_CHECKS json_nodes.checks)
modelstate_cli_test(cli_json_log_still_goes_to_stderr
  ARGS --json ${_ms_sample} JSON_CHECKS json_sample.checks
  STDERR_HAS "=== PROCESSING CONTAINER LIST ===")

modelstate_cli_test(cli_model_without_containers_is_pending
  ARGS -q --model standby-model ${_ms_sample} STDOUT model_expected.out)
modelstate_cli_test(cli_model_without_containers_is_created_in_lifecycle
  ARGS -q --model standby-model --values lifecycle ${_ms_sample}
  STDOUT model_expected_lifecycle.out)
modelstate_cli_test(cli_model_with_containers_keeps_its_state
  ARGS -q --model my-inference-model ${_ms_sample} STDOUT sample.out)
modelstate_cli_test(cli_model_is_repeatable
  ARGS -q --model standby-model --model my-inference-model ${_ms_sample}
  STDOUT model_expected.out)

modelstate_cli_test(cli_annotation_default_is_pullpiri_model
  ARGS -q annotation.json STDOUT annotation_default.out)
modelstate_cli_test(cli_annotation_names_another_key
  ARGS -q --annotation app.example.com/model annotation.json
  STDOUT annotation_custom.out)
modelstate_cli_test(cli_annotation_takes_an_inline_value
  ARGS -q --annotation=app.example.com/model annotation.json
  STDOUT annotation_custom.out)

modelstate_cli_test(cli_prefix_changes_the_key
  ARGS -q --prefix /vehicle/models/ ${_ms_sample} STDOUT prefix.out
  )
modelstate_cli_test(cli_prefix_is_named_in_the_log
  ARGS --prefix /vehicle/models/ ${_ms_sample} STDOUT prefix.out
  STDERR_HAS "Key: /vehicle/models/my-inference-model/state")

modelstate_cli_test(cli_values_default_to_phase
  ARGS -q scenarios.json STDOUT values_phase.out)
modelstate_cli_test(cli_values_phase
  ARGS -q --values phase scenarios.json STDOUT values_phase.out)
modelstate_cli_test(cli_values_lifecycle_proto
  ARGS -q --values lifecycle-proto scenarios.json
  STDOUT values_lifecycle_proto.out)
modelstate_cli_test(cli_values_lifecycle
  ARGS -q --values lifecycle scenarios.json STDOUT values_lifecycle.out)

modelstate_cli_test(cli_profile_default_reads_exit_codes
  ARGS -q profiles.json STDOUT profile_default.out)
modelstate_cli_test(cli_profile_default_by_name
  ARGS -q --profile default profiles.json STDOUT profile_default.out)
modelstate_cli_test(cli_profile_flags_only
  ARGS -q --profile flags-only profiles.json STDOUT profile_flags_only.out)
modelstate_cli_test(cli_profile_status_only
  ARGS -q --profile status-only profiles.json STDOUT profile_status_only.out)

modelstate_cli_test(cli_success_codes_default_to_zero
  ARGS -q terminated.json STDOUT terminated_default.out)
modelstate_cli_test(cli_success_codes_list
  ARGS -q --success-codes 0,143 terminated.json
  STDOUT terminated_success_143.out)
modelstate_cli_test(cli_success_codes_without_zero
  ARGS -q --success-codes 143 terminated.json STDOUT terminated_default.out)

modelstate_cli_test(cli_node_names_an_inspect_report
  ARGS --node zone-front scenarios/running.podman.json
  STDOUT scenarios/running.out STDERR_HAS "  Node Name: zone-front\n")
modelstate_cli_test(cli_node_replaces_the_container_list_node_name
  ARGS --node zone-rear ${_ms_sample} STDOUT sample.out
  STDERR_HAS "  Node Name: zone-rear\n" STDERR_LACKS worker-node-01)

# Several nodes: a model's state is over its containers on all of them.
modelstate_cli_test(cli_nodes_running_then_exited_fail_the_model
  ARGS -q node_a.json node_b.json STDOUT nodes.out)
modelstate_cli_test(cli_nodes_exited_then_running_fail_the_model
  ARGS -q node_b.json node_a.json STDOUT nodes.out)
modelstate_cli_test(cli_nodes_are_named_in_the_log
  ARGS node_a.json node_b.json STDOUT nodes.out
  STDERR_HAS "Node Name: " "zone-front" "zone-rear")
modelstate_cli_test(cli_nodes_inspect_files_merge
  ARGS -q scenarios/exited.podman.json scenarios/running.docker.json
  STDOUT scenarios/running.out)

# Packages.
modelstate_cli_test(cli_packages_yaml_degraded_package
  ARGS --packages package.yaml package_models.json
  STDOUT package_degraded.out
  STDERR_HAS "--- Package: perception ---"
             "Reconcile needed for package: perception")
modelstate_cli_test(cli_packages_json_degraded_package
  ARGS -q --packages package.json package_models.json
  STDOUT package_degraded.out)
modelstate_cli_test(cli_packages_inline_value
  ARGS -q --packages=package.yaml package_models.json
  STDOUT package_degraded.out)
modelstate_cli_test(cli_package_values_proto
  ARGS -q --packages package.yaml --package-values proto package_models.json
  STDOUT package_degraded.out)
modelstate_cli_test(cli_package_values_plain
  ARGS -q --packages package.yaml --package-values plain package_models.json
  STDOUT package_degraded_plain.out)
modelstate_cli_test(cli_packages_hostile_name_exit_1
  ARGS -q --packages package_hostile.yaml package_models.json
  EXIT 1 STDOUT package_degraded.out STDERR_HAS "'../perception'")
modelstate_cli_test(cli_packages_malformed_exit_2
  ARGS -q --packages package_malformed.yaml package_models.json
  EXIT 2 STDOUT_EMPTY STDERR_HAS "package_malformed.yaml: line ")
modelstate_cli_test(cli_packages_missing_file_exit_2
  ARGS -q --packages missing.yaml package_models.json
  EXIT 2 STDOUT_EMPTY STDERR_HAS "cannot open 'missing.yaml'")

# Exit statuses and usage.
modelstate_cli_test(cli_hostile_model_names_exit_1
  ARGS hostile.json EXIT 1 STDOUT hostile.out
  STDERR_HAS "--- Rejected Model: \"../etc\" ---"
             "--- Rejected Model: \"a/b\" ---"
  STDERR_LACKS "Key: /model/../etc/state" "Key: /model/a/b/state")
modelstate_cli_test(cli_help_exits_0
  ARGS --help STDOUT_MATCHES "^Usage: modelstate \\[options\\] \\[FILE...\\]\n"
  STDERR_EMPTY)
modelstate_cli_test(cli_help_short_form_exits_0
  ARGS -h STDOUT_MATCHES "^Usage: modelstate " STDERR_EMPTY)
modelstate_cli_test(cli_help_names_every_option
  ARGS --help
  STDOUT_MATCHES "--quiet.*--json.*--model.*--annotation.*--prefix.*--values.*--profile.*--success-codes.*--node.*--packages.*--package-values.*--help.*--version")
modelstate_cli_test(cli_version_exits_0
  ARGS --version STDOUT_MATCHES "^modelstate [0-9]+\\.[0-9]+\\.[0-9]+\n$"
  STDERR_EMPTY)
modelstate_cli_test(cli_version_short_form_exits_0
  ARGS -V STDOUT_MATCHES "^modelstate [0-9]+\\.[0-9]+\\.[0-9]+\n$")
modelstate_cli_test(cli_unknown_option_exit_2
  ARGS --bogus ${_ms_sample} EXIT 2 STDOUT_EMPTY
  STDERR_HAS "unknown option '--bogus'" "modelstate --help")
modelstate_cli_test(cli_unknown_short_option_exit_2
  ARGS -x ${_ms_sample} EXIT 2 STDOUT_EMPTY STDERR_HAS "unknown option '-x'")
modelstate_cli_test(cli_missing_value_exit_2
  ARGS ${_ms_sample} --model EXIT 2 STDOUT_EMPTY
  STDERR_HAS "--model needs a value")
foreach(option annotation prefix values profile success-codes node packages
        package-values)
  modelstate_cli_test(cli_missing_value_of_${option}_exit_2
    ARGS --${option} EXIT 2 STDOUT_EMPTY
    STDERR_HAS "--${option} needs a value")
endforeach()
modelstate_cli_test(cli_bad_values_exit_2
  ARGS --values plain ${_ms_sample} EXIT 2 STDOUT_EMPTY
  STDERR_HAS "--values: expected phase, lifecycle-proto or lifecycle, got 'plain'")
modelstate_cli_test(cli_bad_profile_exit_2
  ARGS --profile strict ${_ms_sample} EXIT 2 STDOUT_EMPTY
  STDERR_HAS "--profile: " "'strict'")
modelstate_cli_test(cli_bad_success_codes_exit_2
  ARGS --success-codes 0,x ${_ms_sample} EXIT 2 STDOUT_EMPTY
  STDERR_HAS "--success-codes: 'x' is not an integer")
modelstate_cli_test(cli_bad_package_values_exit_2
  ARGS --package-values lifecycle ${_ms_sample} EXIT 2 STDOUT_EMPTY
  STDERR_HAS "--package-values: " "'lifecycle'")
modelstate_cli_test(cli_empty_annotation_exit_2
  ARGS --annotation= ${_ms_sample} EXIT 2 STDOUT_EMPTY
  STDERR_HAS "--annotation: the key is empty")
modelstate_cli_test(cli_missing_file_exit_2
  ARGS missing.json EXIT 2 STDOUT_EMPTY STDERR_HAS "cannot open 'missing.json'")
modelstate_cli_test(cli_double_dash_ends_the_options
  ARGS -- -q EXIT 2 STDOUT_EMPTY STDERR_HAS "cannot open '-q'")

# Inputs that cannot be decoded: exit 2, a message that names the place,
# nothing on standard output.
function(modelstate_cli_bad_input name file message)
  modelstate_cli_test(cli_bad_input_${name} ARGS bad/${file}
    EXIT 2 STDOUT_EMPTY STDERR_HAS "modelstate: bad/${file}: ${message}")
endfunction()
modelstate_cli_bad_input(truncated truncated.json
  "containers[0].state.Status (line 2, column 45): syntax error")
modelstate_cli_bad_input(top_level_number number.json
  "line 1, column 1: expected an object or an array, got 42")
modelstate_cli_bad_input(unknown_object unknown_format.json
  "line 1, column 1: expected a ContainerList")
modelstate_cli_bad_input(container_not_an_object container_not_object.json
  "containers[1] (line 3, column 10): expected an object, got \"def456\"")
modelstate_cli_bad_input(node_name_not_a_string node_name_type.json
  "node_name (line 1, column 15): expected a string, got 5")
modelstate_cli_bad_input(containers_not_an_array containers_type.json
  "containers (line 1, column 47): expected an array, got an object")
modelstate_cli_bad_input(id_not_a_string id_type.json
  "containers[0].id (line 2, column 10): expected a string, got 7")
modelstate_cli_bad_input(names_not_an_array names_type.json
  "containers[0].names (line 2, column 35): expected an array, got \"web-1\"")
modelstate_cli_bad_input(name_not_a_string name_element_type.json
  "containers[0].names[1] (line 2, column 39): expected a string, got 2")
modelstate_cli_bad_input(state_not_an_object state_type.json
  "containers[0].state (line 2, column 29): expected an object, got an array")
modelstate_cli_bad_input(status_not_a_string status_type.json
  "containers[0].state.Status (line 2, column 43): expected a string, got true")
modelstate_cli_bad_input(running_a_number running_type.json
  "containers[0].state.Running (line 2, column 62): expected a boolean or a string, got 1")
modelstate_cli_bad_input(annotation_null annotation_value_type.json
  "containers[0].annotation[\"pullpiri.model\"] (line 2, column 56): expected a string, a boolean or a number, got null")
modelstate_cli_bad_input(exit_code_not_an_integer exit_code_text.json
  "containers[0].state.ExitCode (line 2, column 66): expected an integer, got \"abc\"")
modelstate_cli_bad_input(exit_code_out_of_range exit_code_range.json
  "containers[0].state.ExitCode (line 2, column 73): expected an integer that fits in 32 bits")
modelstate_cli_bad_input(inspect_state_not_an_object inspect_state_type.json
  "[0].State (line 2, column 54): expected an object, got \"running\"")
modelstate_cli_bad_input(inspect_labels_not_an_object inspect_labels_type.json
  "[0].Config.Labels (line 2, column 59): expected an object, got an array")
modelstate_cli_bad_input(inspect_exit_code_a_boolean inspect_exit_code_type.json
  "[0].State.ExitCode (line 2, column 83): expected an integer, got true")
modelstate_cli_bad_input(inspect_exit_code_out_of_range inspect_exit_code_range.json
  "[0].State.ExitCode (line 2, column 90): expected an integer that fits in 32 bits, got -2147483649")
modelstate_cli_bad_input(invalid_utf8 invalid_utf8.json
  "containers[0].names[0] (line 2, column 34): invalid UTF-8: byte 0xC3")
modelstate_cli_test(cli_bad_input_empty_file
  ARGS empty.json EXIT 2 STDOUT_EMPTY
  STDERR_HAS "modelstate: empty.json: line 1, column 1: the input is empty")
modelstate_cli_test(cli_bad_input_empty_stdin
  ARGS -q STDIN empty.json EXIT 2 STDOUT_EMPTY
  STDERR_HAS "modelstate: <stdin>: line 1, column 1: the input is empty")
modelstate_cli_test(cli_bad_input_next_to_a_good_one_prints_nothing
  ARGS -q scenarios/running.podman.json bad/number.json
  EXIT 2 STDOUT_EMPTY STDERR_HAS "bad/number.json: ")
modelstate_cli_test(cli_bad_input_stops_the_log
  ARGS bad/exit_code_text.json EXIT 2 STDOUT_EMPTY
  STDERR_LACKS "=== PROCESSING CONTAINER LIST ===")

# Large inputs, generated at test time: 102,400 containers of 512 bytes
# each (50 MiB) in 10 models, valid or with a bad exit code in the last
# container. They are removed when the tests that need them are done.
# Decoding 50 MiB takes seconds in a Debug build and much longer with
# sanitizers, hence the long timeout; "ctest -LE large" leaves them out.
add_executable(modelstate_cli_generate cli/generate_containers.cpp)
modelstate_warnings(modelstate_cli_generate)
set(_ms_large_count 102400)
file(MAKE_DIRECTORY ${_ms_cli_work})
set(_ms_large_files "")
foreach(kind valid bad-exit-code)
  list(APPEND _ms_large_files ${_ms_cli_work}/large-${kind}.json)
  add_test(NAME cli_large_generate_${kind}
           COMMAND $<TARGET_FILE:modelstate_cli_generate>
                   ${_ms_cli_work}/large-${kind}.json ${_ms_large_count} 10
                   ${kind})
  set_tests_properties(cli_large_generate_${kind} PROPERTIES
                       FIXTURES_SETUP cli_large LABELS "cli;large")
endforeach()
add_test(NAME cli_large_remove
         COMMAND ${CMAKE_COMMAND} -E rm -f ${_ms_large_files})
set_tests_properties(cli_large_remove PROPERTIES
                     FIXTURES_CLEANUP cli_large LABELS "cli;large")

modelstate_cli_test(cli_large_valid_input_exit_0
  ARGS -q ${_ms_cli_work}/large-valid.json STDOUT large.out STDERR_EMPTY
  FIXTURES cli_large LABELS large TIMEOUT 600)
modelstate_cli_test(cli_large_input_bad_exit_code_at_the_end_exit_2
  ARGS -q ${_ms_cli_work}/large-bad-exit-code.json EXIT 2 STDOUT_EMPTY
  STDERR_HAS "containers[102399].state.ExitCode (line 102401, column 102): expected an integer, got \"abc\""
  FIXTURES cli_large LABELS large TIMEOUT 600)

# Two reports of one node would replace each other; the tool refuses them.
modelstate_cli_test(cli_one_node_given_twice_is_a_usage_error
  ARGS -q --node x scenarios/running.podman.json scenarios/exited.podman.json
  EXIT 2 STDOUT_EMPTY
  STDERR_HAS "node name \"x\" is also the node of")
