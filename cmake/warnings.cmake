# modelstate_warnings(target): strict warnings for the project's own targets.
option(MODELSTATE_WERROR "Treat warnings as errors" ON)

function(modelstate_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                           -Wshadow -Wconversion -Wsign-conversion)
  endif()
  if(MODELSTATE_WERROR)
    set_property(TARGET ${target} PROPERTY COMPILE_WARNING_AS_ERROR ON)
    if(CMAKE_VERSION VERSION_LESS 3.24 AND NOT MSVC)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
