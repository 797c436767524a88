// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_MODELSTATE_HPP
#define MODELSTATE_MODELSTATE_HPP

// The core of the library; it needs only the standard library. The JSON
// and etcd headers (modelstate/json.hpp, modelstate/etcd.hpp) are separate.

#include "classify.hpp"
#include "cluster.hpp"
#include "evaluate.hpp"
#include "group.hpp"
#include "key.hpp"
#include "log.hpp"
#include "observer.hpp"
#include "package.hpp"
#include "pipeline.hpp"
#include "record.hpp"
#include "report.hpp"
#include "sink.hpp"
#include "tracker.hpp"
#include "version.hpp"
#include "vocabulary.hpp"

#endif  // MODELSTATE_MODELSTATE_HPP
