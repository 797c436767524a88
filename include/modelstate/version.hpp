// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_VERSION_HPP
#define MODELSTATE_VERSION_HPP

// The one place the version is written; CMake reads it from here.
#define MODELSTATE_VERSION_MAJOR 0
#define MODELSTATE_VERSION_MINOR 1
#define MODELSTATE_VERSION_PATCH 0

/// Expands to the version as one number, e.g. 100 for 0.1.0.
#define MODELSTATE_VERSION                                             \
  (MODELSTATE_VERSION_MAJOR * 10000 + MODELSTATE_VERSION_MINOR * 100 + \
   MODELSTATE_VERSION_PATCH)

#define MODELSTATE_DETAIL_STR2(x) #x
#define MODELSTATE_DETAIL_STR(x) MODELSTATE_DETAIL_STR2(x)

namespace modelstate {

/// Returns the version as "major.minor.patch".
constexpr const char* version_string() noexcept {
  return MODELSTATE_DETAIL_STR(MODELSTATE_VERSION_MAJOR) "." MODELSTATE_DETAIL_STR(
      MODELSTATE_VERSION_MINOR) "." MODELSTATE_DETAIL_STR(MODELSTATE_VERSION_PATCH);
}

}  // namespace modelstate

#endif  // MODELSTATE_VERSION_HPP
