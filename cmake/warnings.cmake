# modelstate_warnings(target): strict warnings for the project's own targets.
option(MODELSTATE_WERROR "Treat warnings as errors" ON)

function(modelstate_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                           -Wshadow -Wconversion -Wsign-conversion)
    # g++ 12 at -O3 reports -Wrestrict inside libstdc++'s own std::string
    # code for `"a" + std::string(...)` (GCC bug 105329): a false alarm that
    # no change on our side can avoid everywhere.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
       AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
       AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
  endif()
  if(MODELSTATE_WERROR)
    set_property(TARGET ${target} PROPERTY COMPILE_WARNING_AS_ERROR ON)
    if(CMAKE_VERSION VERSION_LESS 3.24 AND NOT MSVC)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
