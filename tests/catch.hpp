// One include for Catch2 v2 (single header) and v3 (split headers).
#ifndef MODELSTATE_TESTS_CATCH_HPP
#define MODELSTATE_TESTS_CATCH_HPP

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#endif  // MODELSTATE_TESTS_CATCH_HPP
