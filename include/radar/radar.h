/*
 * radar.h - the public interface of the Transfer Radar library, in one include:
 * every header of include/radar (server.h declares what libradar_server.a
 * adds).
 */
#ifndef RADAR_RADAR_H
#define RADAR_RADAR_H

#include "radar/article.h"
#include "radar/atom.h"
#include "radar/buf.h"
#include "radar/db.h"
#include "radar/error.h"
#include "radar/extract.h"
#include "radar/fetch.h"
#include "radar/follow.h"
#include "radar/ingest.h"
#include "radar/lexicon.h"
#include "radar/limits.h"
#include "radar/model.h"
#include "radar/outcomes.h"
#include "radar/output.h"
#include "radar/people.h"
#include "radar/registry.h"
#include "radar/score.h"
#include "radar/server.h"
#include "radar/store.h"
#include "radar/version.h"
#include "radar/watch.h"

#endif
