/*
 * radar.h - the public interface of the Transfer Radar library, in one include.
 */
#ifndef RADAR_RADAR_H
#define RADAR_RADAR_H

#define RADAR_VERSION "0.1.0"

#include "radar/article.h"
#include "radar/buf.h"
#include "radar/db.h"
#include "radar/error.h"
#include "radar/extract.h"
#include "radar/lexicon.h"
#include "radar/limits.h"
#include "radar/model.h"
#include "radar/output.h"

#endif
